using Linen.Functional;
using Xunit;
using static TorchSharp.torch;

namespace Linen.Tests.Functional;

/// <summary>Optimizer states as Flax state dicts: optax's layout, round trips through msgpack, and mismatches named by path.</summary>
public class OptStateDictTests
{
    private static ParamTree Params(long rows = 3) => ParamTree.CreateBuilder()
        .Add("Dense_0/bias", zeros(2))
        .Add("Dense_0/kernel", ones(rows, 2))
        .ToImmutable();

    /// <summary>Gradients that differ per step and per entry, so moments and counts are all distinct.</summary>
    private static ParamTree Grads(int step) => ParamTree.CreateBuilder()
        .Add("Dense_0/bias", tensor(new[] { 0.1f * step, -0.2f }))
        .Add("Dense_0/kernel", tensor(Enumerable.Range(0, 6).Select(k => (float)Math.Sin(k + step)).ToArray()).reshape(3, 2))
        .ToImmutable();

    public static TheoryData<string> Optimizers => ["adam", "adamw", "sgd-momentum", "chain", "masked"];

    private static GradientTransformation Optimizer(string name) => name switch
    {
        "adam" => Optax.Adam(Schedules.CosineDecay(1e-3, 10)),
        "adamw" => Optax.AdamW(1e-3, weightDecay: 1e-2),
        "sgd-momentum" => Optax.Sgd(0.1, momentum: 0.9),
        "chain" => Optax.Chain(Optax.ClipByGlobalNorm(1.0), Optax.Adam(1e-3)),
        "masked" => Optax.Masked(Optax.Adam(1e-3), path => path.EndsWith("/kernel")),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static OptState Trained(GradientTransformation tx, int steps)
    {
        var state = tx.Init(Params());
        for (var i = 1; i <= steps; i++) (_, state) = tx.Update(Grads(i), state, Params());
        return state;
    }

    [Fact]
    public void AdamWithAScheduleHasOptaxsLayout()
    {
        using var scope = NewDisposeScope();

        var tree = Serialization.ToStateDict(Trained(Optimizer("adam"), 3));

        // optax: (ScaleByAdamState(count, mu, nu), ScaleByScheduleState(count)) → {'0': {…}, '1': {'count'}}.
        Assert.Equal(
            ["0/count", "0/mu/Dense_0/bias", "0/mu/Dense_0/kernel", "0/nu/Dense_0/bias", "0/nu/Dense_0/kernel", "1/count"],
            tree.Paths);
        Assert.Equal(ScalarType.Int32, tree["0/count"].dtype);
        Assert.Empty(tree["1/count"].shape);
        Assert.Equal([3, 3], new[] { tree["0/count"].item<int>(), tree["1/count"].item<int>() });
    }

    [Fact]
    public void MaskedStateKeepsItsInnerStateUnderOptaxsFieldName()
    {
        using var scope = NewDisposeScope();

        var tree = Serialization.ToStateDict(Trained(Optimizer("masked"), 2));

        // optax.MaskedState(inner_state=(ScaleByAdamState, EmptyState)); only the selected leaves have moments.
        Assert.Equal(["inner_state/0/count", "inner_state/0/mu/Dense_0/kernel", "inner_state/0/nu/Dense_0/kernel"], tree.Paths);
        Assert.True(tree.TryGetSubtree("inner_state/1", out var empty) && empty.IsEmpty);
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void StateSurvivesMsgpackAndTheNextUpdateIsBitIdentical(string name)
    {
        using var scope = NewDisposeScope();
        var tx = Optimizer(name);
        var state = Trained(tx, 3);

        var bytes = FlaxMsgpack.ToBytes(Serialization.ToStateDict(state));
        var restored = Serialization.FromStateDict(tx.Init(Params()), FlaxMsgpack.Restore(bytes));

        Assert.Equal(state.GetType(), restored.GetType());
        TreeAssert.SameTree(Serialization.ToStateDict(state), Serialization.ToStateDict(restored));
        var (expected, actual) = (tx.Update(Grads(4), state, Params()), tx.Update(Grads(4), restored, Params()));
        TreeAssert.SameTree(expected.Updates, actual.Updates);
        TreeAssert.SameTree(Serialization.ToStateDict(expected.State), Serialization.ToStateDict(actual.State));
    }

    [Fact]
    public void ShapeMismatchIsNamedByItsPath()
    {
        using var scope = NewDisposeScope();
        var tx = Optimizer("adam");
        var stored = Serialization.ToStateDict(tx.Init(Params(rows: 4)));

        var error = Assert.Throws<CheckpointException>(() => Serialization.FromStateDict(tx.Init(Params()), stored));

        Assert.Equal("Cannot restore the state dict into the target at '0/mu/Dense_0/kernel': "
            + "expected a float32 leaf of shape (3, 2), found a float32 leaf of shape (4, 2).", error.Message);
    }

    [Fact]
    public void StateOfAnotherOptimizerIsNamedByItsFirstMissingKey()
    {
        using var scope = NewDisposeScope();
        var stored = Serialization.ToStateDict(Optimizer("sgd-momentum").Init(Params()));

        var error = Assert.Throws<CheckpointException>(() => Serialization.FromStateDict(Optimizer("adam").Init(Params()), stored));

        Assert.Equal("Cannot restore the state dict into the target at '0/count': "
            + "the key 'count' is missing (expected a int32 leaf of shape ()).", error.Message);
    }
}
