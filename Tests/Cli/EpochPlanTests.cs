using Linen.Cli.Data;
using Linen.Prng;
using Xunit;

namespace Linen.Tests.Cli;

public sealed class EpochPlanTests
{
    private static readonly PrngKey Key = PrngKey.FromSeed(42);

    [Fact]
    public void TrainingOrderDependsOnlyOnKeyAndEpoch()
    {
        var first = EpochPlan.Training(Key, epoch: 3, count: 100, batchSize: 10);
        var again = EpochPlan.Training(Key, epoch: 3, count: 100, batchSize: 10);
        var next = EpochPlan.Training(Key, epoch: 4, count: 100, batchSize: 10);

        Assert.Equal(first.Order, again.Order);
        Assert.NotEqual(first.Order, next.Order);
        Assert.Equal(Enumerable.Range(0, 100), first.Order.Order());
        Assert.Equal(Sample.Permutation(Key.FoldIn(3), 100), first.Order);
    }

    [Fact]
    public void TrainingDropsThePartialBatch()
    {
        var plan = EpochPlan.Training(Key, epoch: 0, count: 25, batchSize: 10);

        Assert.Equal(2, plan.Steps);
        Assert.Equal(plan.Order[10..20], plan.BatchIndices(1).ToArray());
    }

    [Fact]
    public void EvaluationKeepsOrderAndTheLastPartialBatch()
    {
        var plan = EpochPlan.Evaluation(count: 25, batchSize: 10);

        Assert.Equal(3, plan.Steps);
        Assert.Equal([20, 21, 22, 23, 24], plan.BatchIndices(2).ToArray());
    }

    [Fact]
    public void TrainingSetSmallerThanABatchIsAClearError()
    {
        var e = Assert.Throws<DataException>(() => EpochPlan.Training(Key, 0, count: 5, batchSize: 8));

        Assert.Equal("The training set has 5 examples, fewer than one batch of 8; lower --batch-size.", e.Message);
    }
}
