namespace Linen.Testing;

/// <summary>Which parameter trees a generator may produce: nesting depth, children per node and leaf shapes.</summary>
public sealed record TreeConstraints
{
    /// <summary>The defaults: depth 1 to 3, 1 to 4 children per node, leaves of rank 0 to 3 with at most 64 elements.</summary>
    public static TreeConstraints Default { get; } = new();

    /// <summary>The largest number of keys on a leaf's path (1 means a flat tree).</summary>
    public int MaxDepth { get; init; } = 3;

    /// <summary>The largest number of children of one node (every node has at least one).</summary>
    public int MaxChildren { get; init; } = 4;

    /// <summary>The shapes of the leaves.</summary>
    public ShapeConstraints LeafShapes { get; init; } = new() { MinRank = 0, MaxRank = 3, MaxDim = 6, MaxElements = 64 };

    /// <summary>Throws unless the bounds allow a tree.</summary>
    /// <exception cref="ArgumentException">A bound is below 1 or the leaf shapes are unsatisfiable.</exception>
    public void Validate()
    {
        if (MaxDepth < 1) throw new ArgumentException($"Invalid MaxDepth {MaxDepth} in {this}: a tree needs depth >= 1.");
        if (MaxChildren < 1) throw new ArgumentException($"Invalid MaxChildren {MaxChildren} in {this}: nodes need >= 1 child.");
        LeafShapes.Validate();
    }
}
