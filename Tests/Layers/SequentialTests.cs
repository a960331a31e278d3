using FsCheck;
using FsCheck.Fluent;
using Linen.Functional;
using Linen.Layers;
using Linen.Prng;
using Xunit;
using static Linen.Tests.Layers.TestValues;
using static TorchSharp.torch;

namespace Linen.Tests.Layers;

/// <summary>Sequential's adoption names <c>layers_k</c> and chaining (spec/linen.md §A.3, flax/linen/combinators.py).</summary>
public class SequentialTests : LayerContract<Sequential>
{
    private static readonly PrngKey Root = PrngKey.FromSeed(0);
    private static readonly Tensor X = Normal(0, 2, 3);

    /// <summary>
    /// The layers of a chain, a new instance each (Sequential shares the parameters of one instance listed twice). The
    /// LayerNorm has a random bias, because over one feature it returns its bias exactly, and a zero bias would put a
    /// following PReLU on its kink; and the two-pass variance, because the fast one cancels in float64 too when a Dense
    /// before it makes two nearly equal features, which drowns the finite differences of that Dense's kernel in round-off.
    /// </summary>
    private static Gen<Module> Links => Gen.OneOf(
        Gen.Choose(1, 3).Select(features => (Module)new Dense(features)),
        Gen.Fresh<Module>(() => new LayerNorm { BiasInit = Initializers.Normal(1f), UseFastVariance = false }),
        Gen.Fresh<Module>(() => new RmsNorm()),
        Gen.Fresh<Module>(() => new PRelu()),
        Gen.Fresh<Module>(() => new Activation(Activations.Tanh) { Name = "tanh" }));

    /// <summary>
    /// Chains of one to three layers; in a chain that keeps the width (no Dense), sometimes the first layer is listed again
    /// at the end (one layer with shared parameters).
    /// </summary>
    protected override Gen<Sequential> Layers =>
        from links in Gen.Choose(1, 3).SelectMany(count => Gen.ArrayOf(Links, count))
        from repeatFirst in Gen.Elements(false, true)
        select new Sequential(repeatFirst && !links.OfType<Dense>().Any() ? [.. links, links[0]] : links);

    protected override Gen<long[]> InputShapes(Sequential layer) => ShapeGen(1, 3, 4);

    // flax/linen/combinators.py: the layers are adopted as layers_0, layers_1, …; a function (relu) takes an index too.
    protected override FlaxExample Flax => new(new Sequential(new Dense(3), new Activation(Activations.Relu), new Dense(2)), ones(4, 5), [4, 2],
        new Dictionary<string, long[]>
        {
            ["params/layers_0/kernel"] = [5, 3], ["params/layers_0/bias"] = [3], ["params/layers_2/kernel"] = [3, 2], ["params/layers_2/bias"] = [2],
        });

    /// <summary>A scale initializer that writes the low 16 bits of its key's words, so the test can read which key it got.</summary>
    private static readonly Initializer KeyStamp = (key, shape) => [key.K0 & 0xFFFF, key.K1 & 0xFFFF, .. new float[Shapes.Numel(shape) - 2]];

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
        var variables = new Wrapped(new Sequential(new LayerNorm())).Init(Root, X);
        Assert.Equal(["params/Sequential_0/layers_0/bias", "params/Sequential_0/layers_0/scale"], variables.Tree.Paths);
    }

    [Fact]
    public void AnEmptySequentialIsAnError()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new Wrapped(new Sequential()).Init(Root, X));
        Assert.Equal("Empty Sequential module at '/Sequential_0': give it at least one layer.", error.Message);
    }
}
