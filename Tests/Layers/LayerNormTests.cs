using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Linen.Functional;
using Linen.Layers;
using Linen.Prng;
using Xunit;
using static Linen.Tests.Layers.TestValues;
using TorchSharp;
using static TorchSharp.torch;

namespace Linen.Tests.Layers;

/// <summary>LayerNorm against a plain-loop reference and on closed-form cases (spec/linen.md §B.3).</summary>
public class LayerNormTests : LayerContract<LayerNorm>
{
    private static readonly PrngKey Key = PrngKey.FromSeed(0);

    /// <summary>The axes as (reduction, feature) pairs: the last, the last two, or a middle one with per-feature parameters.</summary>
    private static readonly (int[] Reduction, int[] Features)[] AxisChoices = [([-1], [-1]), ([-2, -1], [-2, -1]), ([1], [-1]), ([-2, -1], [-1])];

    protected override Gen<LayerNorm> Layers =>
        from axes in Gen.Elements(AxisChoices)
        from useScale in Gen.Elements(true, false)
        from useBias in Gen.Elements(true, false)
        from fastVariance in Gen.Elements(true, false)
        from randomInit in Gen.Elements(true, false)
        select new LayerNorm
        {
            ReductionAxes = axes.Reduction, FeatureAxes = axes.Features, UseScale = useScale, UseBias = useBias, UseFastVariance = fastVariance,
            ScaleInit = randomInit ? Initializers.Normal(1f) : Initializers.Ones, BiasInit = randomInit ? Initializers.Normal(1f) : Initializers.Zeros,
        };

    /// <summary>Rank 2 to 4 (every axis choice exists there), sizes 1 to 4.</summary>
    protected override Gen<long[]> InputShapes(LayerNorm layer) => ShapeGen(2, 4, 4);

    // flax/linen/normalization.py: scale and bias have the shape of the feature axes.
    protected override FlaxExample Flax => new(new LayerNorm { ReductionAxes = [1, 2], FeatureAxes = [-2, -1] }, ones(2, 3, 4), [2, 3, 4],
        new Dictionary<string, long[]> { ["params/scale"] = [3, 4], ["params/bias"] = [3, 4] });

    [Property(MaxTest = 25)]
    public Property LayerNormMatchesNaiveReference() => Prop.ForAll(Arb.From(ShapeGen(1, 4, 5)), Arb.From(Gen.Choose(0, 1000)), (shape, seed) =>
    {
        using var _ = NewDisposeScope();
        var x = Normal(seed, shape).Mul(3).Add(1);
        var model = new LayerNorm();
        var variables = Perturbed(model.Init(Key, x), seed);
        var expected = Naive.Normalize(Nd.Of(x), Naive.StatsKeyWithout(shape, shape.Length - 1), 1e-6, subtractMean: true,
            Values(variables.Params["scale"]), Values(variables.Params["bias"]));
        var exact = new LayerNorm { UseFastVariance = false }.Apply(variables, x);
        var fast = Naive.NormalizedClose(expected, Values(model.Apply(variables, x)), Nd.Of(x), Naive.StatsKeyWithout(shape, shape.Length - 1), 1e-6);
        return (fast && Close(expected, Values(exact), 1e-4)).Label($"shape {string.Join(",", shape)}, seed {seed}");
    });

    [Property(MaxTest = 25)]
    public Property LayerNormOutputHasMeanZeroAndVarianceOne() => Prop.ForAll(Arb.From(ShapeGen(1, 3, 4)), Arb.From(Gen.Choose(2, 9)), (batch, features) =>
    {
        using var _ = NewDisposeScope();
        var x = Normal(features, [.. batch, features]).Mul(5).Sub(2);
        var model = new LayerNorm();
        var y = model.Apply(model.Init(Key, x), x);
        var mean = y.mean([-1L]);
        var variance = (y - y.mean([-1L], keepdim: true)).Square().mean([-1L]);
        // A row's output variance is var/(var + ε) with the fast variance E[x²] − E[x]², whose float32 round-off is some
        // 1e-5 here: two nearly equal features make it miss 1 by more than 1e-3. So the variance is checked on the rows
        // whose input variance is at least 0.1, where both stay below 1e-3; the mean on every row.
        var wide = x.to_type(ScalarType.Float64);
        using var minSpread = 0.1.ToScalar();
        var spread = (wide - wide.mean([-1L], keepdim: true)).Square().mean([-1L]).ge(minSpread);
        return (mean.abs().max().item<float>() < 1e-5 && (variance.Sub(1).abs().Lt(1e-3) | spread.logical_not()).all().item<bool>())
            .Label($"batch {string.Join(",", batch)}, features {features}");
    });

    [Fact]
    public void LayerNormCreatesScaleOnesAndBiasZerosOverTheFeatureAxes()
    {
        var x = Normal(1, 2, 3, 4);
        var variables = new LayerNorm { ReductionAxes = [1, 2], FeatureAxes = [-2, -1] }.Init(Key, x);
        Assert.Equal(["params/bias", "params/scale"], variables.Tree.Paths);
        Assert.Equal(Enumerable.Repeat(1f, 12), Values(variables.Params["scale"]));
        Assert.Equal(Enumerable.Repeat(0f, 12), Values(variables.Params["bias"]));
        Assert.Equal([3L, 4], variables.Params["scale"].shape);
        var y = new LayerNorm { ReductionAxes = [1, 2], FeatureAxes = [-2, -1] }.Apply(variables, x);
        AssertClose(Naive.Normalize(Nd.Of(x), Naive.StatsKeyWithout([2, 3, 4], 1, 2), 1e-6, true), y, 1e-4);
    }

    [Fact]
    public void LayerNormUsesTheFastVarianceClippedAtZero()
    {
        // A constant row of 1e4: E[x²] − E[x]² rounds to a small number in float32 or below zero, which is clipped,
        // so the output is (x − μ)·rsqrt(0 + ε) = 0 exactly and never NaN.
        using var large = 1e4f.ToScalar();
        var x = full(new long[] { 1, 7 }, large);
        var model = new LayerNorm { UseBias = false, UseScale = false };
        Assert.Empty(model.Init(Key, x).Tree.Paths);
        Assert.All(Values(model.Apply(Variables.Empty, x)), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void LayerNormKeepsAMixedPrecisionSplit()
    {
        var x = Normal(3, 2, 8).to_type(ScalarType.BFloat16);
        var model = new LayerNorm { Dtype = ScalarType.BFloat16 };
        var variables = model.Init(Key, x);
        Assert.Equal(ScalarType.Float32, variables.Params["scale"].dtype);
        Assert.Equal(ScalarType.BFloat16, model.Apply(variables, x).dtype);
        Assert.Equal(ScalarType.Float32, new LayerNorm().Apply(variables, x).dtype);
    }

    [Fact]
    public void LayerNormRejectsAnAxisOutsideTheInput()
    {
        var error = Assert.Throws<InputShapeException>(() => new LayerNorm { ReductionAxes = [2] }.Init(Key, Normal(0, 3, 4)));
        Assert.Equal("LayerNorm at '/': ReductionAxes contains axis 2, which does not exist in an input of rank 2.", error.Message);
    }
}
