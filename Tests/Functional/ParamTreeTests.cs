using Linen.Functional;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Linen.Tests.Functional;

public class ParamTreeTests
{
    private static ParamTree Sample() => ParamTree.Empty
        .SetItem("Dense_0/kernel", ones(3, 2))
        .SetItem("Dense_0/bias", zeros(2))
        .SetItem("Dense_1/kernel", ones(2, 1));

    [Fact]
    public void PathsAreOrdinalAndNested()
    {
        var tree = Sample();
        Assert.Equal(["Dense_0/bias", "Dense_0/kernel", "Dense_1/kernel"], tree.Paths);
        Assert.Equal(["Dense_0", "Dense_1"], tree.Keys);
        Assert.Equal(new long[] { 3, 2 }, tree["Dense_0/kernel"].shape);
        Assert.Equal(["bias", "kernel"], tree.Subtree("Dense_0").Keys);
        Assert.Equal(3, tree.LeafCount);
        Assert.Equal(6 + 2 + 2, tree.ParameterCount);
    }

    [Fact]
    public void UpdatesShareAndNoOpsReturnTheSameInstance()
    {
        var tree = Sample();
        var kernel = tree["Dense_0/kernel"];
        Assert.Same(tree, tree.SetItem("Dense_0/kernel", kernel));
        Assert.Same(tree, tree.Remove("Dense_9/kernel"));
        var removed = tree.Remove("Dense_1");
        Assert.Equal(["Dense_0/bias", "Dense_0/kernel"], removed.Paths);
        Assert.Equal(3, tree.LeafCount);
    }

    [Fact]
    public void SetItemReplacesAnEqualValuedLeafOfAnotherDtype()
    {
        var tree = ParamTree.Empty.SetItem("x", zeros(2));
        var updated = tree.SetItem("x", zeros(2, ScalarType.BFloat16));
        Assert.Equal(ScalarType.BFloat16, updated["x"].dtype);
    }

    [Fact]
    public void MissingPathNamesWhereItStops()
    {
        var e = Assert.Throws<KeyNotFoundException>(() => Sample()["Dense_0/scale"]);
        Assert.Equal("No entry 'Dense_0/scale' in the tree: 'Dense_0' has no key 'scale' (keys there: bias, kernel).", e.Message);
    }

    [Fact]
    public void FlattenUnflattenRoundTrips()
    {
        var tree = Sample();
        var back = ParamTree.Unflatten(tree.Flatten());
        Assert.Equal(tree.Paths, back.Paths);
        Assert.True(ParamTree.AllClose(tree, back, 0, 0));
    }

    [Fact]
    public void WithLeavesReplacesTheLeavesInTraversalOrder()
    {
        var tree = Sample();
        Tensor[] leaves = [tensor(new[] { 7f, 7f }), tensor(new[] { 8f, 8f, 8f }), tensor(new[] { 9f })];
        var replaced = tree.WithLeaves(leaves);
        Assert.Equal(tree.Paths, replaced.Paths);
        Assert.Equal(leaves, replaced.Leaves);
        Assert.Same(leaves[1], replaced["Dense_0/kernel"]);
        var e = Assert.Throws<ArgumentException>(() => tree.WithLeaves(leaves[..2]));
        Assert.Equal("The tree has 3 leaves, but 2 were given. (Parameter 'leaves')", e.Message);
        e = Assert.Throws<ArgumentException>(() => tree.WithLeaves([.. leaves, ones(1)]));
        Assert.Equal("The tree has 3 leaves, but 4 were given. (Parameter 'leaves')", e.Message);
    }

    [Fact]
    public void Map2NamesTheFirstStructuralDifference()
    {
        var a = Sample();
        var b = a.SetItem("Dense_0/kernel", ones(4, 2));
        var e = Assert.Throws<TreeStructureException>(() => ParamTree.Map2(a, b, (x, y) => x.Add(y)));
        Assert.Equal("Tree structures differ at 'Dense_0/kernel' (shapes (3, 2) and (4, 2)).", e.Message);
        var c = a.Remove("Dense_1/kernel");
        e = Assert.Throws<TreeStructureException>(() => ParamTree.Map2(a, c, (x, y) => x.Add(y)));
        Assert.Equal("Tree structures differ at 'Dense_1/kernel' (only in the first tree).", e.Message);
        var sum = ParamTree.Map2(a, a, (x, y) => x.Add(y));
        Assert.Equal(2f, sum["Dense_1/kernel"][0, 0].item<float>());
    }

    [Fact]
    public void PrettyPrintsDtypeAndShape() =>
        Assert.Equal("Dense_0\n  bias: float32(2,)\n  kernel: float32(3, 2)\nDense_1\n  kernel: float32(2, 1)",
            Sample().ToString().Replace("\r", ""));

    [Fact]
    public void BuilderRejectsTakenPaths()
    {
        var builder = ParamTree.CreateBuilder().Add("a/b", ones(1));
        var e = Assert.Throws<ArgumentException>(() => builder.Add("a/b/c", ones(1)));
        Assert.StartsWith("Cannot add 'a/b/c': 'a/b' is a leaf.", e.Message);
    }

    [Fact]
    public void VariablesSeparateCollections()
    {
        var variables = Variables.FromParams(Sample()).SetCollection("batch_stats", ParamTree.Empty.SetItem("BatchNorm_0/mean", zeros(2)));
        Assert.Equal(["batch_stats", "params"], variables.Collections);
        Assert.Equal(3, variables.Params.LeafCount);
        Assert.True(variables["cache"].IsEmpty);
    }
}
