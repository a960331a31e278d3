using Linen.Functional;
using Linen.Prng;

namespace Linen.Testing;

/// <summary>
/// FsCheck shrinkers (candidates simplest first) for the values of <see cref="LinenGen"/>. Every candidate
/// stays within the constraints the value was generated under, so a shrunk counterexample is still a
/// legal input.
/// </summary>
public static class LinenShrink
{
    /// <summary>Towards <c>PrngKey.FromSeed(0)</c>: zero first word, smaller second word, and (unless <paramref name="keepMode"/>) the partitionable layout.</summary>
    public static IEnumerable<PrngKey> Key(PrngKey key, bool keepMode = false)
    {
        if (!keepMode && key.Mode != ThreefryMode.Partitionable) yield return key with { Mode = ThreefryMode.Partitionable };
        if (key.K0 != 0) yield return key with { K0 = 0 };
        if (key.K1 != 0) yield return key with { K1 = key.K1 / 2 };
    }

    /// <summary>Fewer axes, then smaller dimensions (halved, then decremented), all accepted by <paramref name="constraints"/>.</summary>
    public static IEnumerable<long[]> Shape(long[] shape, ShapeConstraints? constraints = null)
    {
        var c = constraints ?? ShapeConstraints.Default;
        var candidates = Enumerable.Range(0, shape.Length).Select(axis => (long[])[.. shape[..axis], .. shape[(axis + 1)..]])
            .Concat(SmallerDims(shape, d => d / 2))
            .Concat(SmallerDims(shape, d => d - 1));
        return candidates.Where(c.Accepts).DistinctBy(s => Shapes.Format(s));
    }

    /// <summary>The same tensor description with a smaller shape (the values keep their key) or a simpler key.</summary>
    public static IEnumerable<RandomTensor> Tensor(RandomTensor value, ShapeConstraints? constraints = null) =>
        Shape(value.Shape, constraints).Select(s => value with { Shape = s })
            .Concat(Key(value.Key).Select(k => value with { Key = k }));

    /// <summary>
    /// Fewer leaves, leaves moved one level up (when no path clashes and the node has room), smaller leaf shapes within
    /// <paramref name="constraints"/>' leaf shapes; never the empty tree.
    /// </summary>
    public static IEnumerable<RandomTree> Tree(RandomTree tree, TreeConstraints? constraints = null)
    {
        var c = constraints ?? TreeConstraints.Default;
        var leaves = tree.Leaves;
        var removed = leaves.Count <= 1 ? []
            : Enumerable.Range(0, leaves.Count).Select(i => leaves.Where((_, j) => j != i).ToArray());
        var hoisted = Enumerable.Range(0, leaves.Count)
            .Where(i => leaves[i].Path.Contains('/'))
            .Select(i => Replace(leaves, i, leaves[i] with { Path = WithoutParent(leaves[i].Path) }));
        var smaller = Enumerable.Range(0, leaves.Count)
            .SelectMany(i => Shape(leaves[i].Shape, c.LeafShapes).Select(s => Replace(leaves, i, leaves[i] with { Shape = s })));
        return removed.Concat(hoisted.Where(l => RandomTree.IsValid(l, c.MaxChildren))).Concat(smaller)
            .Select(l => tree with { Leaves = l.OrderBy(x => x.Path, StringComparer.Ordinal).ToArray() });
    }

    private static IEnumerable<long[]> SmallerDims(long[] shape, Func<long, long> shrink) =>
        Enumerable.Range(0, shape.Length)
            .Where(axis => shrink(shape[axis]) < shape[axis] && shrink(shape[axis]) >= 0)
            .Select(axis =>
            {
                var smaller = (long[])shape.Clone();
                smaller[axis] = shrink(shape[axis]);
                return smaller;
            });

    private static TreeLeaf[] Replace(IReadOnlyList<TreeLeaf> leaves, int i, TreeLeaf leaf) =>
        leaves.Select((l, j) => j == i ? leaf : l).ToArray();

    // "a/b/c" -> "a/c": the leaf leaves its innermost module.
    private static string WithoutParent(string path)
    {
        var keys = path.Split('/');
        return string.Join('/', keys[..^2].Append(keys[^1]));
    }
}
