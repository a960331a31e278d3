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

/// <summary>BatchNorm's statistics, running averages and modes (spec/linen.md §A.2, §B.3).</summary>
public class BatchNormTests : LayerContract<BatchNorm>
{
    private static readonly PrngKey Key = PrngKey.FromSeed(0);

    protected override Gen<BatchNorm> Layers =>
        from axis in Gen.Elements(-1, 0, 1)
        from useRunningAverage in Gen.Elements<bool?>(null, null, true, false)
        from momentum in Gen.Elements(0.99, 0.5)
        from fastVariance in Gen.Elements(true, false)
        from randomInit in Gen.Elements(true, false)
        select new BatchNorm
        {
            Axis = axis, UseRunningAverage = useRunningAverage, Momentum = momentum, UseFastVariance = fastVariance,
            ScaleInit = randomInit ? Initializers.Normal(1f) : Initializers.Ones, BiasInit = randomInit ? Initializers.Normal(1f) : Initializers.Zeros,
        };

    /// <summary>Rank 2 to 4, so that axes 0, 1 and -1 all exist.</summary>
    protected override Gen<long[]> InputShapes(BatchNorm layer) => ShapeGen(2, 4, 4);

    /// <summary>
    /// Evaluation, and training with <c>batch_stats</c> mutable (the running averages are updated); a layer that uses
    /// batch statistics in evaluation (<c>UseRunningAverage = false</c>) needs them mutable too.
    /// </summary>
    protected override Gen<CallMode> Modes(BatchNorm layer) => Gen.Elements(
        layer.UseRunningAverage == false ? new CallMode(Mutable: "batch_stats") : CallMode.Inference,
        new CallMode(Train: true, Mutable: "batch_stats"));

    // flax/linen/normalization.py: scale and bias per feature, running averages batch_stats/mean and batch_stats/var.
    protected override FlaxExample Flax => new(new BatchNorm(), ones(4, 3, 5), [4, 3, 5], new Dictionary<string, long[]>
    {
        ["batch_stats/mean"] = [5], ["batch_stats/var"] = [5], ["params/scale"] = [5], ["params/bias"] = [5],
    });
    private static readonly long[] Shape = [4, 3, 5];
    private static readonly Func<long[], long> PerFeature = index => index[^1];

    private static Variables WithStats(Variables variables, float[] mean, float[] variance) =>
        variables.SetCollection("batch_stats", ParamTree.Empty.SetItem("mean", tensor(mean)).SetItem("var", tensor(variance)));

    [Fact]
    public void InitCreatesScaleBiasAndRunningAveragesAtFlaxPaths()
    {
        var variables = new BatchNorm().Init(Key, Normal(1, Shape));
        Assert.Equal(["batch_stats/mean", "batch_stats/var", "params/bias", "params/scale"], variables.Tree.Paths);
        Assert.Equal(new float[5], Values(variables["batch_stats"]["mean"]));
        Assert.Equal(Enumerable.Repeat(1f, 5), Values(variables["batch_stats"]["var"]));
        Assert.Equal(ScalarType.Float32, variables["batch_stats"]["var"].dtype);
    }

    [Property(MaxTest = 20)]
    public Property TrainingNormalizesWithBatchStatisticsAndUpdatesTheRunningAverages() => Prop.ForAll(
        Arb.From(ShapeGen(2, 4, 4)), Arb.From(Gen.Choose(0, 1000)), (shape, seed) =>
    {
        using var _ = NewDisposeScope();
        var x = Normal(seed, shape).Mul(2).Add(3);
        var model = new BatchNorm();
        var features = (int)shape[^1];
        float[] oldMean = [.. Enumerable.Range(0, features).Select(i => 0.5f * i)], oldVar = [.. Enumerable.Range(0, features).Select(i => 1f + i)];
        var variables = WithStats(model.Init(Key, x), oldMean, oldVar);
        var (y, mutated) = model.Apply(variables, x, mutable: "batch_stats", train: true);
        var moments = Naive.Moments(Nd.Of(x), PerFeature);
        var expected = Naive.Normalize(Nd.Of(x), PerFeature, 1e-5, subtractMean: true);
        float[] expectedMean = [.. Enumerable.Range(0, features).Select(c => (float)(0.99 * oldMean[c] + 0.01 * moments[c].Mean))];
        float[] expectedVar = [.. Enumerable.Range(0, features).Select(c => (float)(0.99 * oldVar[c] + 0.01 * moments[c].Var))];
        return (Naive.NormalizedClose(expected, Values(y), Nd.Of(x), PerFeature, 1e-5)
                && mutated.Collections.SequenceEqual(["batch_stats"])
                && Close(expectedMean, Values(mutated["batch_stats"]["mean"]), 1e-5)
                && Close(expectedVar, Values(mutated["batch_stats"]["var"]), 1e-4))
            .Label($"shape {string.Join(",", shape)}, seed {seed}");
    });

    [Fact]
    public void RunningAveragesFollowTheMomentumFormulaOverSteps()
    {
        var model = new BatchNorm { Momentum = 0.9 };
        var variables = model.Init(Key, Normal(0, Shape));
        double mean = 0, variance = 1;
        for (var step = 1; step <= 3; step++)
        {
            var x = Normal(step, Shape).Add(step);
            var moments = Naive.Moments(Nd.Of(x), PerFeature)[2];
            (_, var mutated) = model.Apply(variables, x, mutable: "batch_stats", train: true);
            variables = variables.Merge(mutated);
            (mean, variance) = (0.9 * mean + 0.1 * moments.Mean, 0.9 * variance + 0.1 * moments.Var);
            Assert.Equal(mean, Values(variables["batch_stats"]["mean"])[2], 5);
            Assert.Equal(variance, Values(variables["batch_stats"]["var"])[2], 5);
        }
    }

    [Fact]
    public void InitInTrainingModeUsesBatchStatisticsWithoutUpdatingTheRunningAverages()
    {
        var x = Normal(2, Shape).Mul(4).Add(1);
        var (y, variables) = new BatchNorm().InitWithOutput(Key, x, train: true);
        Assert.Equal(new float[5], Values(variables["batch_stats"]["mean"]));
        Assert.Equal(Enumerable.Repeat(1f, 5), Values(variables["batch_stats"]["var"]));
        var expected = Naive.Normalize(Nd.Of(x), PerFeature, 1e-5, subtractMean: true);
        Assert.True(Naive.NormalizedClose(expected, Values(y), Nd.Of(x), PerFeature, 1e-5));
    }

    [Fact]
    public void EvaluationUsesTheRunningAveragesAndChangesNothing()
    {
        var x = Normal(3, Shape);
        float[] mean = [0.1f, -0.2f, 0.3f, 0f, 1f], variance = [0.5f, 2f, 1f, 4f, 0.25f];
        var variables = WithStats(new BatchNorm().Init(Key, x), mean, variance);
        var stats = Enumerable.Range(0, 5).ToDictionary(c => (long)c, c => ((double)mean[c], (double)variance[c]));
        var expected = Naive.Normalize(Nd.Of(x), PerFeature, 1e-5, true, stats: stats);
        AssertClose(expected, new BatchNorm().Apply(variables, x), 1e-5);
        var (y, mutated) = new BatchNorm().Apply(variables, x, mutable: "batch_stats");
        AssertClose(expected, y, 1e-5);
        Assert.Equal(mean, Values(mutated["batch_stats"]["mean"]));
        // UseRunningAverage overrides the call's mode in both directions.
        AssertClose(expected, new BatchNorm { UseRunningAverage = true }.Apply(variables, x, mutable: "batch_stats", train: true).Output, 1e-5);
        var (_, updated) = new BatchNorm { UseRunningAverage = false }.Apply(variables, x, mutable: "batch_stats");
        Assert.NotEqual(mean, Values(updated["batch_stats"]["mean"]));
    }

    [Fact]
    public void TrainingWithoutMutableBatchStatsIsAnError()
    {
        var x = Normal(4, Shape);
        var variables = new BatchNorm().Init(Key, x);
        var error = Assert.Throws<ImmutableCollectionException>(() => new BatchNorm().Apply(variables, x, train: true));
        Assert.Equal("Cannot update variable 'mean' of collection 'batch_stats' in module '/': the collection is not mutable in this call " +
            "(mutable: none). Pass mutable: \"batch_stats\" to Apply.", error.Message);
    }

    [Fact]
    public void RunningAveragesOfAnotherFeatureCountAreRejected()
    {
        var variables = new BatchNorm().Init(Key, Normal(0, 2, 3));
        var error = Assert.Throws<ParamShapeException>(() => new BatchNorm().Apply(variables, Normal(0, 2, 4)));
        Assert.Equal("Variable 'batch_stats/mean' of module '/' has shape (3,), but the input has (4,) features on axis -1. " +
            "Were the variables made for another model or input size?", error.Message);
    }
}
