using Linen.Functional;

namespace Linen.Testing;

/// <summary>
/// Which tensor shapes a generator may produce: a rank range, a per-dimension range and a cap on the
/// element count (so that properties stay fast). The shrinker keeps every shrunk shape inside these bounds.
/// </summary>
public sealed record ShapeConstraints
{
    /// <summary>The defaults: rank 1 to 4, dimensions 1 to 8, at most 4096 elements.</summary>
    public static ShapeConstraints Default { get; } = new();

    /// <summary>The smallest rank (0 allows scalars).</summary>
    public int MinRank { get; init; } = 1;

    /// <summary>The largest rank.</summary>
    public int MaxRank { get; init; } = 4;

    /// <summary>The smallest dimension (0 allows empty tensors).</summary>
    public int MinDim { get; init; } = 1;

    /// <summary>The largest dimension.</summary>
    public int MaxDim { get; init; } = 8;

    /// <summary>The largest element count of a shape.</summary>
    public long MaxElements { get; init; } = 4096;

    /// <summary>Whether <paramref name="shape"/> satisfies every bound.</summary>
    public bool Accepts(long[] shape) =>
        shape.Length >= MinRank && shape.Length <= MaxRank
        && shape.All(d => d >= MinDim && d <= MaxDim)
        && Shapes.Numel(shape) <= MaxElements;

    /// <summary>Throws unless some shape satisfies the bounds.</summary>
    /// <exception cref="ArgumentException">A range is empty or even the smallest shape has too many elements.</exception>
    public void Validate()
    {
        if (MinRank < 0 || MaxRank < MinRank)
            throw new ArgumentException($"Invalid rank range [{MinRank}, {MaxRank}] in {this}: need 0 <= MinRank <= MaxRank.");
        if (MinDim < 0 || MaxDim < MinDim)
            throw new ArgumentException($"Invalid dimension range [{MinDim}, {MaxDim}] in {this}: need 0 <= MinDim <= MaxDim.");
        if (SmallestNumel(MinRank) > MaxElements)
            throw new ArgumentException(
                $"No shape satisfies {this}: the smallest one, {MinRank} dimensions of {MinDim}, has more than {MaxElements} elements.");
    }

    /// <summary>The largest rank that some shape within the bounds has.</summary>
    internal int FeasibleMaxRank()
    {
        var rank = MaxRank;
        while (SmallestNumel(rank) > MaxElements) rank--;
        return rank;
    }

    /// <summary>The element count of <paramref name="rank"/> dimensions of the smallest size, counting 0 as 1 (an empty tensor can still grow).</summary>
    internal long SmallestNumel(int rank)
    {
        long n = 1;
        for (int i = 0; i < rank && n <= MaxElements; i++) n *= Math.Max(MinDim, 1);
        return n;
    }
}
