using Linen.Prng;

namespace Linen.Cli.Data;

/// <summary>
/// The order of one epoch's examples and its cut into batches. Training order is a permutation drawn from
/// <c>FoldIn(shuffleKey, epoch)</c>, so it depends only on the seed and the epoch (a resumed run sees the
/// same batches); the last partial batch is dropped so every step has the same shape, as the Flax
/// examples do. Evaluation keeps the data order and every example.
/// </summary>
/// <param name="Order">The example indices in visiting order.</param>
/// <param name="BatchSize">Examples per batch.</param>
/// <param name="DropRemainder">Whether to drop the last partial batch.</param>
internal sealed record EpochPlan(int[] Order, int BatchSize, bool DropRemainder)
{
    /// <summary>The shuffled training plan of epoch <paramref name="epoch"/> (counted from 0).</summary>
    /// <exception cref="DataException">The data set is smaller than one batch.</exception>
    public static EpochPlan Training(PrngKey shuffleKey, int epoch, int count, int batchSize)
    {
        if (count < batchSize)
            throw new DataException($"The training set has {count} examples, fewer than one batch of {batchSize}; lower --batch-size.");
        return new(Sample.Permutation(shuffleKey.FoldIn((uint)epoch), count), batchSize, DropRemainder: true);
    }

    /// <summary>The evaluation plan: every example in order, the last batch possibly smaller.</summary>
    public static EpochPlan Evaluation(int count, int batchSize) => new([.. Enumerable.Range(0, count)], batchSize, DropRemainder: false);

    /// <summary>How many batches.</summary>
    public int Steps => DropRemainder ? Order.Length / BatchSize : (Order.Length + BatchSize - 1) / BatchSize;

    /// <summary>The example indices of batch <paramref name="step"/>.</summary>
    public ReadOnlySpan<int> BatchIndices(int step)
    {
        var start = step * BatchSize;
        return Order.AsSpan(start, Math.Min(BatchSize, Order.Length - start));
    }
}
