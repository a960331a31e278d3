using Linen.Functional;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Testing;

/// <summary>One leaf of a <see cref="RandomTree"/>: its slash path and shape.</summary>
/// <param name="Path">The path, e.g. <c>Dense_0/kernel</c>.</param>
/// <param name="Shape">The shape.</param>
public sealed record TreeLeaf(string Path, long[] Shape)
{
    /// <summary>For example <c>Dense_0/kernel (2, 3)</c>.</summary>
    public override string ToString() => $"{Path} {Shapes.Format(Shape)}";
}

/// <summary>
/// A parameter tree described by its key and leaves: <see cref="Create"/> makes the <see cref="ParamTree"/>,
/// each leaf standard normal from the key Flax would give a module at that path
/// (<c>KeyDerivation.Derive(Key, path, 1)</c>), so a leaf keeps its values when the shrinker removes others.
/// </summary>
/// <param name="Key">The root key of the values.</param>
/// <param name="Leaves">The leaves in path order; no path is a prefix of another.</param>
public sealed record RandomTree(PrngKey Key, IReadOnlyList<TreeLeaf> Leaves)
{
    /// <summary>A new tree with these leaves; the caller owns its tensors.</summary>
    /// <param name="device">Where to create the leaves (CPU when null).</param>
    public ParamTree Create(Device? device = null)
    {
        var builder = ParamTree.CreateBuilder();
        foreach (var leaf in Leaves)
        {
            var key = KeyDerivation.Derive(Key, leaf.Path.Split('/'), 1);
            builder.Add(leaf.Path, tensor(Sample.Normal(key, leaf.Shape), leaf.Shape, ScalarType.Float32, device));
        }
        return builder.ToImmutable();
    }

    /// <summary>The number of keys on the longest leaf path.</summary>
    public int Depth => Leaves.Select(l => l.Path.Count(c => c == '/') + 1).DefaultIfEmpty(0).Max();

    /// <summary>For example <c>{Dense_0/bias (3,), Dense_0/kernel (2, 3)} from PrngKey[0, 7]</c>.</summary>
    public override string ToString() => $"{{{string.Join(", ", Leaves)}}} from {Key}";

    /// <summary>Whether the paths are distinct, none runs through another leaf, and no node has more than <paramref name="maxChildren"/> children.</summary>
    internal static bool IsValid(IReadOnlyList<TreeLeaf> leaves, int maxChildren)
    {
        var paths = leaves.Select(l => l.Path).ToHashSet(StringComparer.Ordinal);
        return paths.Count == leaves.Count
            && leaves.All(l => !leaves.Any(other => other.Path.StartsWith(l.Path + "/", StringComparison.Ordinal)))
            && MaxChildCount(leaves) <= maxChildren;
    }

    private static int MaxChildCount(IReadOnlyList<TreeLeaf> leaves) =>
        leaves.SelectMany(l =>
            {
                var keys = l.Path.Split('/');
                return keys.Select((key, depth) => (Node: string.Join('/', keys[..depth]), Child: key));
            })
            .Distinct().GroupBy(edge => edge.Node).Select(children => children.Count()).DefaultIfEmpty(0).Max();
}
