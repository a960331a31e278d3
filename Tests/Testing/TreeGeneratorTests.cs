using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Linen.Prng;
using Linen.Testing;
using Xunit;
using static TorchSharp.torch;

namespace Linen.Tests.Testing;

public class TreeGeneratorTests
{
    private static readonly TreeConstraints Narrow = new()
    {
        MaxDepth = 2, MaxChildren = 3, LeafShapes = new ShapeConstraints { MinRank = 1, MaxRank = 2, MaxDim = 4, MaxElements = 8 },
    };

    private static bool Within(RandomTree tree, TreeConstraints c) =>
        tree.Leaves.Count >= 1
        && tree.Depth <= c.MaxDepth
        && tree.Leaves.All(l => c.LeafShapes.Accepts(l.Shape))
        && ChildCounts(tree).All(n => n <= c.MaxChildren)
        && tree.Leaves.Select(l => l.Path).SequenceEqual(tree.Leaves.Select(l => l.Path).Order(StringComparer.Ordinal))
        && IsValid(tree);

    /// <summary>The number of distinct children of every node, read off the paths.</summary>
    private static IEnumerable<int> ChildCounts(RandomTree tree) =>
        tree.Leaves.SelectMany(l => Prefixes(l.Path).Select(p => (Node: p.Node, Child: p.Child)))
            .Distinct().GroupBy(p => p.Node).Select(g => g.Count());

    private static IEnumerable<(string Node, string Child)> Prefixes(string path)
    {
        var keys = path.Split('/');
        return keys.Select((k, i) => (string.Join('/', keys[..i]), k));
    }

    private static bool IsValid(RandomTree tree) =>
        tree.Leaves.Select(l => l.Path).Distinct().Count() == tree.Leaves.Count
        && tree.Leaves.All(l => !tree.Leaves.Any(o => o.Path.StartsWith(l.Path + "/", StringComparison.Ordinal)));

    [Property(MaxTest = 200)]
    public Property TreesRespectTheirConstraints() =>
        Prop.ForAll(LinenArb.Trees(Narrow), t => Within(t, Narrow).Label(t.ToString()).Classify(t.Depth == 2, "nested"));

    [Property(Arbitrary = [typeof(LinenArb)], MaxTest = 100)]
    public bool DefaultTreesRespectTheDefaults(RandomTree tree) => Within(tree, TreeConstraints.Default);

    [Property(MaxTest = 100)]
    public Property ShrunkTreesStayWithinConstraintsAndGetSmaller() =>
        Prop.ForAll(LinenArb.Trees(Narrow), t => LinenShrink.Tree(t, Narrow).All(s =>
            Within(s, Narrow)
            && (s.Leaves.Count < t.Leaves.Count || Size(s) < Size(t))));

    private static long Size(RandomTree t) => t.Leaves.Sum(l => Linen.Functional.Shapes.Numel(l.Shape) + l.Shape.Length + l.Path.Count(c => c == '/'));

    [Property(Arbitrary = [typeof(LinenArb)], MaxTest = 100)]
    public bool CreatedTreesHaveTheDescribedLeaves(RandomTree tree)
    {
        using var scope = NewDisposeScope();
        var created = tree.Create();
        return created.Flatten().Select(kv => (kv.Key, Linen.Functional.Shapes.Format(kv.Value.shape)))
            .SequenceEqual(tree.Leaves.Select(l => (l.Path, Linen.Functional.Shapes.Format(l.Shape))))
            && Linen.Functional.ParamTree.AllClose(created, tree.Create(), 0, 0);
    }

    [Fact]
    public void ALeafKeepsItsValuesWhenOthersAreShrunkAway()
    {
        using var scope = NewDisposeScope();
        var tree = new RandomTree(PrngKey.FromSeed(3), [new("Dense_0/bias", [3]), new("Dense_0/kernel", [2, 3]), new("scale", [3])]);
        var smaller = LinenShrink.Tree(tree).First();
        Assert.Equal("{Dense_0/kernel (2, 3), scale (3,)} from PrngKey[0, 3]", smaller.ToString());
        Assert.True(tree.Create()["scale"].Equals(smaller.Create()["scale"]));
    }

    [Fact]
    public void HoistingSkipsClashingPaths()
    {
        var tree = new RandomTree(PrngKey.FromSeed(0), [new("Dense_0/bias", [1]), new("bias", [1])]);
        Assert.DoesNotContain(LinenShrink.Tree(tree), t => t.Leaves.Count == 2 && t.Leaves.All(l => l.Path == "bias"));
    }
}
