using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Linen.Functional;
using Linen.Layers;
using Linen.Prng;
using Xunit;
using static Linen.Tests.Layers.LayerTestKit;
using static TorchSharp.torch;

namespace Linen.Tests.Layers;

/// <summary>LayerNorm, RMSNorm and GroupNorm against plain-loop references (spec/linen.md §B.3).</summary>
public class NormalizationTests
{
    private static readonly PrngKey Key = PrngKey.FromSeed(0);

    /// <summary>Parameters replaced by normal draws, so that scale and bias matter in the comparison.</summary>
    private static Variables Perturbed(Variables variables, long seed) =>
        Variables.FromParams(variables.Params.MapWithPath((path, t) => Normal(seed + path.Length, t.shape) + (path.EndsWith("scale") ? 1 : 0)));

    private static Func<long[], long> KeyWithout(long[] shape, params int[] reduced)
    {
        var strides = Strides(shape);
        return index => index.Select((v, axis) => reduced.Contains(axis) ? 0 : v * strides[axis]).Sum();
    }

    [Property(MaxTest = 25)]
    public Property LayerNormMatchesNaiveReference() => Prop.ForAll(Arb.From(ShapeGen(1, 4, 5)), Arb.From(Gen.Choose(0, 1000)), (shape, seed) =>
    {
        using var _ = NewDisposeScope();
        var x = Normal(seed, shape) * 3 + 1;
        var model = new LayerNorm();
        var variables = Perturbed(model.Init(Key, x), seed);
        var expected = NaiveReferences.Normalize(Values(x), shape, KeyWithout(shape, shape.Length - 1), 1e-6, subtractMean: true,
            Values(variables.Params["scale"]), Values(variables.Params["bias"]));
        var exact = new LayerNorm { UseFastVariance = false }.Apply(variables, x);
        var fast = NaiveReferences.NormalizedClose(expected, Values(model.Apply(variables, x)), Values(x), shape, KeyWithout(shape, shape.Length - 1), 1e-6);
        return (fast && Close(expected, Values(exact), 1e-4)).Label($"shape {string.Join(",", shape)}, seed {seed}");
    });

    [Property(MaxTest = 25)]
    public Property LayerNormOutputHasMeanZeroAndVarianceOne() => Prop.ForAll(Arb.From(ShapeGen(1, 3, 4)), Arb.From(Gen.Choose(2, 9)), (batch, features) =>
    {
        using var _ = NewDisposeScope();
        var x = Normal(features, [.. batch, features]) * 5 - 2;
        var model = new LayerNorm();
        var y = model.Apply(model.Init(Key, x), x);
        var mean = y.mean([-1L]);
        var variance = (y - y.mean([-1L], keepdim: true)).square().mean([-1L]);
        return (mean.abs().max().item<float>() < 1e-5 && (variance - 1).abs().max().item<float>() < 1e-3)
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
        AssertClose(NaiveReferences.Normalize(Values(x), [2, 3, 4], KeyWithout([2, 3, 4], 1, 2), 1e-6, true), y, 1e-4);
    }

    [Fact]
    public void LayerNormUsesTheFastVarianceClippedAtZero()
    {
        // A constant row of 1e4: E[x²] − E[x]² rounds to a small number in float32 or below zero, which is clipped,
        // so the output is (x − μ)·rsqrt(0 + ε) = 0 exactly and never NaN.
        var x = full(new long[] { 1, 7 }, 1e4f);
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

    [Property(MaxTest = 20)]
    public Property RmsNormMatchesNaiveReference() => Prop.ForAll(Arb.From(ShapeGen(1, 4, 5)), Arb.From(Gen.Choose(0, 1000)), (shape, seed) =>
    {
        using var _ = NewDisposeScope();
        var x = Normal(seed, shape);
        var model = new RmsNorm();
        var variables = Perturbed(model.Init(Key, x), seed);
        Assert.Equal(["params/scale"], variables.Tree.Paths);
        var expected = NaiveReferences.Normalize(Values(x), shape, KeyWithout(shape, shape.Length - 1), 1e-6, subtractMean: false,
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

    [Property(MaxTest = 25)]
    public Property GroupNormMatchesNaiveReference() => Prop.ForAll(Arb.From(
        from spatial in ShapeGen(0, 2, 3)
        from groups in Gen.Elements(1, 2, 3)
        from groupSize in Gen.Elements(1, 2, 4)
        from seed in Gen.Choose(0, 1000)
        select (spatial, groups, groupSize, seed)), c =>
    {
        var (spatial, groups, groupSize, seed) = c;
        using var _ = NewDisposeScope();
        long channels = groups * groupSize;
        long[] shape = [2, .. spatial, channels];
        var x = Normal(seed, shape) * 2 + 1;
        var model = new GroupNorm { NumGroups = groups };
        var variables = Perturbed(model.Init(Key, x), seed);
        Func<long[], long> statsKey = index => index[0] * groups + index[^1] / groupSize;
        var expected = NaiveReferences.Normalize(Values(x), shape, statsKey, 1e-6, true,
            Values(variables.Params["scale"]), Values(variables.Params["bias"]));
        var bySize = new GroupNorm { NumGroups = null, GroupSize = groupSize }.Apply(variables, x);
        var exact = new GroupNorm { NumGroups = groups, UseFastVariance = false }.Apply(variables, x);
        return (NaiveReferences.NormalizedClose(expected, Values(model.Apply(variables, x)), Values(x), shape, statsKey, 1e-6)
                && Values(bySize).SequenceEqual(Values(model.Apply(variables, x))) && Close(expected, Values(exact), 1e-4))
            .Label($"shape {string.Join(",", shape)}, groups {groups}");
    });

    [Fact]
    public void GroupNormDefaultsToThirtyTwoGroups()
    {
        var x = Normal(0, 2, 3, 64);
        var variables = new GroupNorm().Init(Key, x);
        Assert.Equal([64L], variables.Params["scale"].shape);
        var expected = NaiveReferences.Normalize(Values(x), [2, 3, 64], index => index[0] * 32 + index[^1] / 2, 1e-6, true);
        AssertClose(expected, new GroupNorm().Apply(variables, x), 1e-4);
    }

    [Fact]
    public void GroupNormRejectsGroupsThatDoNotDivideTheChannels()
    {
        var x = Normal(0, 2, 6);
        Assert.Equal("GroupNorm at '/': the number of groups (4) does not divide the number of channels (6).",
            Assert.Throws<InputShapeException>(() => new GroupNorm { NumGroups = 4 }.Init(Key, x)).Message);
        Assert.Equal("GroupNorm at '/': the number of channels (6) is not a multiple of the group size (4).",
            Assert.Throws<InputShapeException>(() => new GroupNorm { NumGroups = null, GroupSize = 4 }.Init(Key, x)).Message);
        Assert.Equal("GroupNorm at '/': set exactly one of NumGroups and GroupSize (got 2 and 3); to use GroupSize, set NumGroups to null.",
            Assert.Throws<ArgumentException>(() => new GroupNorm { NumGroups = 2, GroupSize = 3 }.Init(Key, x)).Message);
        Assert.Equal("GroupNorm at '/': ReductionAxes must include the last axis, which holds the channels.",
            Assert.Throws<InputShapeException>(() => new GroupNorm { NumGroups = 2, ReductionAxes = [0] }.Init(Key, x)).Message);
    }
}
