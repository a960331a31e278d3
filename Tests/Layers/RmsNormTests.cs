using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Linen.Functional;
using Linen.Layers;
using Linen.Prng;
using Xunit;
using static Linen.Tests.Layers.TestValues;
using static TorchSharp.torch;

namespace Linen.Tests.Layers;

/// <summary>RMSNorm against a plain-loop reference (spec/linen.md §B.3).</summary>
public class RmsNormTests : LayerContract<RmsNorm>
{
    private static readonly PrngKey Key = PrngKey.FromSeed(0);

    /// <summary>The axes as (reduction, feature) pairs: the last, the last two, or the last two with per-feature scales.</summary>
    private static readonly (int[] Reduction, int[] Features)[] AxisChoices = [([-1], [-1]), ([-2, -1], [-2, -1]), ([-2, -1], [-1])];

    protected override Gen<RmsNorm> Layers =>
        from axes in Gen.Elements(AxisChoices)
        from useScale in Gen.Elements(true, false)
        from randomInit in Gen.Elements(true, false)
        select new RmsNorm
        {
            ReductionAxes = axes.Reduction, FeatureAxes = axes.Features, UseScale = useScale, ScaleInit = randomInit ? Initializers.Normal(1f) : Initializers.Ones,
        };

    protected override Gen<long[]> InputShapes(RmsNorm layer) => ShapeGen(2, 4, 4);

    // flax/linen/normalization.py: RMSNorm has a scale over the feature axes and no bias.
    protected override FlaxExample Flax => new(new RmsNorm(), ones(2, 3), [2, 3], new Dictionary<string, long[]> { ["params/scale"] = [3] });

    [Property(MaxTest = 20)]
    public Property RmsNormMatchesNaiveReference() => Prop.ForAll(Arb.From(ShapeGen(1, 4, 5)), Arb.From(Gen.Choose(0, 1000)), (shape, seed) =>
    {
        using var _ = NewDisposeScope();
        var x = Normal(seed, shape);
        var model = new RmsNorm();
        var variables = Perturbed(model.Init(Key, x), seed);
        Assert.Equal(["params/scale"], variables.Tree.Paths);
        var expected = Naive.Normalize(Nd.Of(x), Naive.StatsKeyWithout(shape, shape.Length - 1), 1e-6, subtractMean: false,
            Values(variables.Params["scale"]));
        return Close(expected, Values(model.Apply(variables, x)), 1e-4).Label($"shape {string.Join(",", shape)}");
    });

    [Fact]
    public void RmsNormIsAutoNamedAsInFlax()
    {
        var variables = new Sequential(new RmsNorm()).Init(Key, Normal(0, 2, 3));
        Assert.Equal(["params/layers_0/scale"], variables.Tree.Paths);
        Assert.Equal("RMSNorm", new RmsNorm().TypeName);
    }
}
