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

/// <summary>GroupNorm against a plain-loop reference and its argument errors (spec/linen.md §B.3).</summary>
public class GroupNormTests : LayerContract<GroupNorm>
{
    private static readonly PrngKey Key = PrngKey.FromSeed(0);

    /// <summary>Groups set by count or by size; the input's channels are a multiple of the group size.</summary>
    protected override Gen<GroupNorm> Layers =>
        from bySize in Gen.Elements(true, false)
        from count in Gen.Choose(1, 3)
        from fastVariance in Gen.Elements(true, false)
        from randomInit in Gen.Elements(true, false)
        select new GroupNorm
        {
            NumGroups = bySize ? null : count, GroupSize = bySize ? count : null, UseFastVariance = fastVariance,
            ScaleInit = randomInit ? Initializers.Normal(1f) : Initializers.Ones, BiasInit = randomInit ? Initializers.Normal(1f) : Initializers.Zeros,
        };

    /// <summary>A batch, 0 to 2 spatial dims and channels that the groups divide.</summary>
    protected override Gen<long[]> InputShapes(GroupNorm layer) =>
        from batch in Gen.Choose(1, 2)
        from spatial in ShapeGen(0, 2, 3)
        from multiple in Gen.Choose(1, 2)
        select (long[])[batch, .. spatial, (layer.NumGroups ?? layer.GroupSize!.Value) * multiple];

    // flax/linen/normalization.py: scale and bias per channel.
    protected override FlaxExample Flax => new(new GroupNorm { NumGroups = 2 }, ones(2, 3, 4), [2, 3, 4],
        new Dictionary<string, long[]> { ["params/scale"] = [4], ["params/bias"] = [4] });

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
        var x = Normal(seed, shape).Mul(2).Add(1);
        var model = new GroupNorm { NumGroups = groups };
        var variables = Perturbed(model.Init(Key, x), seed);
        Func<long[], long> statsKey = index => index[0] * groups + index[^1] / groupSize;
        var expected = Naive.Normalize(Nd.Of(x), statsKey, 1e-6, true,
            Values(variables.Params["scale"]), Values(variables.Params["bias"]));
        var bySize = new GroupNorm { NumGroups = null, GroupSize = groupSize }.Apply(variables, x);
        var exact = new GroupNorm { NumGroups = groups, UseFastVariance = false }.Apply(variables, x);
        return (Naive.NormalizedClose(expected, Values(model.Apply(variables, x)), Nd.Of(x), statsKey, 1e-6)
                && Values(bySize).SequenceEqual(Values(model.Apply(variables, x))) && Close(expected, Values(exact), 1e-4))
            .Label($"shape {string.Join(",", shape)}, groups {groups}");
    });

    [Fact]
    public void GroupNormDefaultsToThirtyTwoGroups()
    {
        var x = Normal(0, 2, 3, 64);
        var variables = new GroupNorm().Init(Key, x);
        Assert.Equal([64L], variables.Params["scale"].shape);
        var expected = Naive.Normalize(Nd.Of(x), index => index[0] * 32 + index[^1] / 2, 1e-6, true);
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
