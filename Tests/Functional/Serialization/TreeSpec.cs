using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Linen.Functional;
using static TorchSharp.torch;

namespace Linen.Tests.Functional;

/// <summary>
/// A tree to build for a property test: nested keys, leaves of any supported dtype and of shapes with scalars and
/// zero-size dimensions, filled with random bytes from a seed. Printed in full when a property fails.
/// </summary>
internal abstract record TreeSpec
{
    /// <summary>Random trees of 1-4 top-level keys, up to 3 levels deep, with leaves of the given dtypes.</summary>
    public static Gen<NodeSpec> Trees(IReadOnlyList<StorageDtype> dtypes) => Node(dtypes, depth: 0, minChildren: 1);

    /// <summary>The subtree or leaf this spec describes; its tensors belong to the caller's dispose scope.</summary>
    public abstract object BuildNode();

    // Flax names, digits (ordinal order puts "10" before "2"), upper case before lower, and non-ASCII keys.
    private static readonly Gen<string> Keys = Gen.Elements(
        "params", "batch_stats", "Dense_0", "Dense_1", "kernel", "bias", "mean", "var", "step", "0", "2", "10", "A", "a", "é", "层_0");

    private static Gen<NodeSpec> Node(IReadOnlyList<StorageDtype> dtypes, int depth, int minChildren)
    {
        var child = depth < 2
            ? Gen.Frequency((3, Leaf(dtypes)), (1, Node(dtypes, depth + 1, minChildren: 0).Select(n => (TreeSpec)n)))
            : Leaf(dtypes);
        return from count in Gen.Choose(minChildren, 4)
               from keys in Gen.ArrayOf(Keys, count)
               from children in Gen.ArrayOf(child, count)
               select new NodeSpec(keys.Zip(children).DistinctBy(kv => kv.First).ToList());
    }

    private static Gen<TreeSpec> Leaf(IReadOnlyList<StorageDtype> dtypes) =>
        from rank in Gen.Choose(0, 3)
        from dims in Gen.ArrayOf(Gen.Frequency((1, Gen.Constant(0)), (5, Gen.Choose(1, 3))), rank)
        from dtype in Gen.Elements(dtypes.ToArray())
        from seed in Gen.Choose(0, int.MaxValue)
        select (TreeSpec)new LeafSpec(dims.Select(d => (long)d).ToArray(), dtype, seed);
}

/// <summary>A subtree: its keys and children in the order generated.</summary>
internal sealed record NodeSpec(IReadOnlyList<(string Key, TreeSpec Child)> Children) : TreeSpec
{
    /// <summary>The tree this spec describes; its tensors belong to the caller's dispose scope.</summary>
    public ParamTree Build() => Children.Aggregate(ParamTree.Empty, (tree, c) => c.Child.BuildNode() switch
    {
        Tensor leaf => tree.SetItem(c.Key, leaf),
        var subtree => tree.SetItem(c.Key, (ParamTree)subtree),
    });

    public override object BuildNode() => Build();

    public override string ToString() => "{" + string.Join(", ", Children.Select(c => $"{c.Key}: {c.Child}")) + "}";
}

/// <summary>A leaf: its shape, dtype and the seed of its random bytes (booleans are 0 or 1).</summary>
internal sealed record LeafSpec(long[] Shape, StorageDtype Dtype, int Seed) : TreeSpec
{
    public override object BuildNode()
    {
        var leaf = empty(Shape, Dtype.ScalarType);
        var bytes = new byte[leaf.numel() * Dtype.ItemSize];
        new Random(Seed).NextBytes(bytes);
        if (Dtype.ScalarType == ScalarType.Bool) for (var i = 0; i < bytes.Length; i++) bytes[i] &= 1;
        if (bytes.Length > 0) leaf.bytes = bytes;
        return leaf;
    }

    public override string ToString() =>
        $"{Dtype.NumpyName}{Linen.Functional.Shapes.Format(Shape)}#{Seed.ToString(CultureInfo.InvariantCulture)}";
}
