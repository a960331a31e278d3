using FsCheck;
using FsCheck.Fluent;
using Linen.Functional;
using Linen.Prng;
using Linen.Testing;
using Xunit;
using static TorchSharp.torch;

namespace Linen.Tests.Layers;

/// <summary>
/// The contract every layer keeps, inherited by each layer's test class: on the layer's own generated cases
/// (hyperparameters, an input shape for them, a call mode), checked as FsCheck properties with Linen.Testing's
/// <see cref="LayerAssert"/>: Init predicts Apply's output shape and value; Apply leaves its input and variables untouched;
/// the key decides the variables (same key, same variables; another key, other random ones); Init and Apply leave no
/// tensor alive; and autodiff gradients match float64 central differences. Besides, Init creates Flax's variable names
/// and shapes on a documented example.
/// </summary>
/// <typeparam name="TLayer">The layer type.</typeparam>
public abstract class LayerContract<TLayer> where TLayer : Module
{
    /// <summary>A documented example: the layer, an input, the output shape and every variable path with its shape in Flax.</summary>
    public sealed record FlaxExample(TLayer Layer, Tensor Input, long[] OutputShape, IReadOnlyDictionary<string, long[]> Variables);

    /// <summary>One case of the properties: the layer, its init key and input (from Linen.Testing), and the call mode.</summary>
    public sealed record ContractCase(LayerCase<TLayer> Layer, CallMode Mode)
    {
        /// <inheritdoc />
        public override string ToString() => $"{Layer}, {Mode}";
    }

    /// <summary>The layers to check: vary the hyperparameters here.</summary>
    protected abstract Gen<TLayer> Layers { get; }

    /// <summary>The input shapes <paramref name="layer"/> accepts; keep them small, every case runs many Applies.</summary>
    protected abstract Gen<long[]> InputShapes(TLayer layer);

    /// <summary>The modes <paramref name="layer"/> is called in (default: evaluation only).</summary>
    protected virtual Gen<CallMode> Modes(TLayer layer) => Gen.Constant(CallMode.Inference);

    /// <summary>The input of a case from its random float32 values (override for integer inputs or value constraints).</summary>
    protected virtual Tensor Input(TLayer layer, RandomTensor values) => values.Create();

    /// <summary>The Flax example <see cref="InitCreatesFlaxNamesAndShapes"/> checks.</summary>
    protected abstract FlaxExample Flax { get; }

    /// <summary>How many cases each property runs; lower it for layers whose cases are costly.</summary>
    protected virtual int MaxTest => 20;

    /// <summary>How many cases the gradient property runs (each costs two Applies per checked entry).</summary>
    protected virtual int GradientMaxTest => 8;

    /// <summary>How many entries of each leaf the gradient property checks (evenly spread).</summary>
    private const int GradientEntriesPerLeaf = 12;

    [Fact]
    public void InitCreatesFlaxNamesAndShapes()
    {
        using var scope = NewDisposeScope();
        var example = Flax;
        var (output, variables) = example.Layer.InitWithOutput(PrngKey.FromSeed(0), example.Input);
        Assert.Equal(example.Variables.Keys.Order(StringComparer.Ordinal), variables.Tree.Paths);
        foreach (var (path, shape) in example.Variables)
            Assert.Equal(Shapes.Format(shape), Shapes.Format(variables.Tree[path].shape));
        Assert.Equal(Shapes.Format(example.OutputShape), Shapes.Format(output.shape));
        Assert.Equal(TestValues.Values(output), TestValues.Values(example.Layer.Apply(variables, example.Input)));
    }

    [Fact]
    public void InitPredictsTheShapesOfApply() => Check(MaxTest, (c, key, x) =>
        LayerAssert.AssertShapesAgree(c.Layer.Module, key, x, c.Mode.Rngs, c.Mode.Train, c.Mode.Mutable));

    [Fact]
    public void InitOutputIsApplyOutput() => Check(MaxTest, (c, key, x) =>
    {
        var (initOutput, variables) = c.Layer.Module.InitWithOutput(InitRngs(key, c.Mode), x, c.Mode.Train);
        var output = Apply(c, variables, x);
        Assert.Equal(TestValues.Values(initOutput), TestValues.Values(output));
    });

    [Fact]
    public void ApplyLeavesInputAndVariablesUntouched() => Check(MaxTest, (c, key, x) =>
        LayerAssert.AssertPure(c.Layer.Module, c.Layer.Module.Init(InitRngs(key, c.Mode), x, c.Mode.Train), x,
            c.Mode.Rngs, c.Mode.Train, c.Mode.Mutable));

    [Fact]
    public void TheKeyDecidesTheVariables() => Check(MaxTest, (c, key, x) =>
        LayerAssert.AssertDeterministic(c.Layer.Module, key, x, rngs: c.Mode.Rngs, train: c.Mode.Train, mutable: c.Mode.Mutable));

    [Fact]
    public void InitAndApplyLeaveNoTensorAlive() => Check(MaxTest, (c, key, x) =>
        LayerAssert.AssertNoLeaks(c.Layer.Module, key, x, c.Mode.Rngs, c.Mode.Train, c.Mode.Mutable));

    [Fact]
    public void GradientsMatchFiniteDifferences() => Check(GradientMaxTest, (c, key, x) =>
        LayerAssert.AssertGradMatchesFiniteDifferences(c.Layer.Module, c.Layer.Module.Init(InitRngs(key, c.Mode), x, c.Mode.Train), x,
            maxEntriesPerLeaf: GradientEntriesPerLeaf, rngs: c.Mode.Rngs, train: c.Mode.Train, mutable: c.Mode.Mutable));

    /// <summary>Runs <paramref name="law"/> on <paramref name="cases"/> generated cases; a failure names the case and FsCheck's seed.</summary>
    private void Check(int cases, Action<ContractCase, PrngKey, Tensor> law)
    {
        var generated = from layerCase in LinenGen.LayerCases(Layers, InputShapes)
                        from mode in Modes(layerCase.Module)
                        select new ContractCase(layerCase, mode);
        Prop.ForAll(Arb.From(generated), c =>
        {
            using var scope = NewDisposeScope();
            law(c, c.Layer.Key, Input(c.Layer.Module, c.Layer.Input));
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(cases));
    }

    private static Rngs InitRngs(PrngKey key, CallMode mode) => (mode.Rngs ?? Rngs.None).With(Variables.ParamsCollection, key);

    private static Tensor Apply(ContractCase c, Variables variables, Tensor x) => c.Mode.Mutable is null || c.Mode.Mutable.IsNone
        ? c.Layer.Module.Apply(variables, x, c.Mode.Rngs, c.Mode.Train)
        : c.Layer.Module.Apply(variables, x, c.Mode.Mutable, c.Mode.Rngs, c.Mode.Train).Output;
}
