using Linen.Functional;
using Linen.Layers;
using Linen.Prng;
using Xunit;
using static Linen.Tests.Layers.LayerTestKit;
using static TorchSharp.torch;

namespace Linen.Tests.Layers;

/// <summary>Sequential's adoption names <c>layers_k</c> and chaining (spec/linen.md §A.3, flax/linen/combinators.py).</summary>
public class SequentialTests
{
    private static readonly PrngKey Root = PrngKey.FromSeed(0);
    private static readonly Tensor X = Normal(0, 2, 3);

    /// <summary>A scale initializer that writes the low 16 bits of its key's words, so the test can read which key it got.</summary>
    private static readonly Initializer KeyStamp = (key, shape) => [key.K0 & 0xFFFF, key.K1 & 0xFFFF, .. new float[Shapes.Numel(shape) - 2]];

    private sealed record Parent(Module Child) : Module
    {
        public override Tensor Call(Scope scope, Tensor input) => scope.Call(Child, input);
    }

    [Fact]
    public void LayersAreNamedByTheirIndexCountingFunctions()
    {
        var model = new Sequential(new LayerNorm(), new Activation(Activations.Relu), new RmsNorm { Name = "ignored" });
        var variables = model.Init(Root, X);
        Assert.Equal(["params/layers_0/bias", "params/layers_0/scale", "params/layers_2/scale"], variables.Tree.Paths);
        var expected = new RmsNorm().Apply(Variables.FromParams(variables.Params.Subtree("layers_2")),
            Activations.Relu(new LayerNorm().Apply(Variables.FromParams(variables.Params.Subtree("layers_0")), X)));
        Assert.Equal(Values(expected), Values(model.Apply(variables, X)));
    }

    [Fact]
    public void KeysDeriveFromTheAdoptedNames()
    {
        var variables = new Sequential(new Activation(Activations.Tanh), new LayerNorm { ScaleInit = KeyStamp }).Init(Root, X);
        var expected = KeyDerivation.Derive(Root, ["layers_1"], 1);
        Assert.Equal([expected.K0 & 0xFFFF, expected.K1 & 0xFFFF, 0f], Values(variables.Params["layers_1/scale"]));
    }

    [Fact]
    public void TheSameInstanceTwiceIsOneLayerWithSharedParameters()
    {
        var norm = new LayerNorm();
        var variables = new Sequential(norm, new Activation(Activations.Relu), norm).Init(Root, X);
        Assert.Equal(["params/layers_0/bias", "params/layers_0/scale"], variables.Tree.Paths);
    }

    [Fact]
    public void InsideAnotherModuleTheLayersNestUnderTheSequential()
    {
        // Flax would attach layers built inside a compact method to that method's module (Dense_0, …); modules here have
        // no construction-time parent, so the Sequential adopts them, as Flax does for a Sequential assigned in setup.
        var variables = new Parent(new Sequential(new LayerNorm())).Init(Root, X);
        Assert.Equal(["params/Sequential_0/layers_0/bias", "params/Sequential_0/layers_0/scale"], variables.Tree.Paths);
    }

    [Fact]
    public void AnEmptySequentialIsAnError()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new Parent(new Sequential()).Init(Root, X));
        Assert.Equal("Empty Sequential module at '/Sequential_0': give it at least one layer.", error.Message);
    }
}
