using Linen.Functional;
using Xunit;
using static TorchSharp.torch;

namespace Linen.Tests.Functional;

/// <summary>Restoring into a target checks keys at every level, shapes and dtypes, and names the first difference.</summary>
public class FromStateDictTests
{
    private static ParamTree Target() => ParamTree.CreateBuilder()
        .Add("params/Dense_0/bias", zeros(2))
        .Add("params/Dense_0/kernel", zeros(1, 2))
        .ToImmutable();

    private static CheckpointException Restore(ParamTree stored) =>
        Assert.Throws<CheckpointException>(() => FlaxMsgpack.FromBytes(Target(), FlaxMsgpack.ToBytes(stored)));

    [Fact]
    public void MatchingTreeIsReturned()
    {
        var stored = Target().Map(t => t.Add(1));
        var restored = FlaxMsgpack.FromBytes(Target(), FlaxMsgpack.ToBytes(stored));
        TreeAssert.SameTree(stored, restored);
        TreeAssert.SameTree(stored, Serialization.FromStateDict(Target(), stored));
    }

    [Fact]
    public void MissingKeyIsNamed()
    {
        var error = Restore(Target().Remove("params/Dense_0/bias"));
        Assert.Equal("Cannot restore the msgpack data into the target at 'params/Dense_0/bias': "
            + "the key 'bias' is missing (expected a float32 leaf of shape (2,)).", error.Message);
    }

    [Fact]
    public void UnexpectedKeyIsNamed()
    {
        var error = Restore(Target().SetItem("params/Dense_0/scale", ones(2)));
        Assert.Equal("Cannot restore the msgpack data into the target at 'params/Dense_0/scale': "
            + "the key 'scale' is not in the target (keys there: bias, kernel).", error.Message);
    }

    [Fact]
    public void ShapeMismatchIsNamed()
    {
        var error = Restore(Target().SetItem("params/Dense_0/kernel", zeros(2, 1)));
        Assert.Equal("Cannot restore the msgpack data into the target at 'params/Dense_0/kernel': "
            + "expected a float32 leaf of shape (1, 2), found a float32 leaf of shape (2, 1).", error.Message);
    }

    [Fact]
    public void DtypeMismatchIsNamed()
    {
        // ones, not zeros: ParamTree.SetItem ignores a tensor that torch.equal calls equal to the old one, dtype aside.
        var error = Restore(Target().SetItem("params/Dense_0/bias", ones(2, ScalarType.BFloat16)));
        Assert.Equal("Cannot restore the msgpack data into the target at 'params/Dense_0/bias': "
            + "expected a float32 leaf of shape (2,), found a bfloat16 leaf of shape (2,).", error.Message);
    }

    [Fact]
    public void LeafInPlaceOfSubtreeIsNamed()
    {
        var error = Restore(ParamTree.Empty.SetItem("params/Dense_0", zeros(2)));
        Assert.Equal("Cannot restore the msgpack data into the target at 'params/Dense_0': "
            + "expected a subtree, found a float32 leaf of shape (2,).", error.Message);
    }

    [Fact]
    public void VariablesRestoreEveryCollection()
    {
        var target = Variables.FromParams(Target().Subtree("params")).SetCollection("batch_stats", ParamTree.Empty.SetItem("mean", zeros(2)));
        var stored = new Variables(target.Tree.Map(t => t.Sub(3)));
        TreeAssert.SameTree(stored.Tree, FlaxMsgpack.FromBytes(target, FlaxMsgpack.ToBytes(stored)).Tree);
        var missing = Assert.Throws<CheckpointException>(() => Serialization.FromStateDict(target, Variables.FromParams(stored.Params)));
        Assert.Equal("Cannot restore the state dict into the target at 'batch_stats': "
            + "the key 'batch_stats' is missing (expected a subtree).", missing.Message);
    }
}
