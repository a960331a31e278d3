using Linen.Functional;
using Linen.Prng;
using Xunit;
using static TorchSharp.torch;

namespace Linen.Tests.Functional;

/// <summary>A whole <see cref="TrainState"/> in a Flax msgpack checkpoint: step, params, opt_state, other collections.</summary>
public sealed class TrainStateDictTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("linen-train-state-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static TrainState Fresh(int features = 2)
    {
        var variables = new TrainStateTests.LinearModel(features).Init(PrngKey.FromSeed(0), ones(1, 3))
            .SetCollection("batch_stats", ParamTree.Empty.SetItem("mean", zeros(features)));
        return TrainState.Create(new TrainStateTests.LinearModel(features), variables, Optax.AdamW(0.1));
    }

    private static ParamTree Grads(TrainState state, float scale) =>
        state.Params.MapWithPath((path, p) => tensor(Enumerable.Range(1, (int)p.numel()).Select(k => scale * k * (path.Length % 3 + 1)).ToArray()).reshape(p.shape));

    [Fact]
    public void CheckpointHoldsFlaxsTrainStateLayoutAndRestoresEveryPart()
    {
        var state = Fresh().ApplyGradients(Grads(Fresh(), 1f)).ApplyGradients(Grads(Fresh(), -0.5f));
        state = state with { Collections = state.Collections.SetCollection("batch_stats", ParamTree.Empty.SetItem("mean", tensor(new[] { 3f, 4f }))) };
        var path = Path.Combine(_directory, "state.msgpack");

        Checkpoint.Save(path, state);
        var restored = Checkpoint.Load(path, Fresh());

        Assert.Equal(
            ["batch_stats/mean", "opt_state/0/count", "opt_state/0/mu/bias", "opt_state/0/mu/kernel", "opt_state/0/nu/bias",
                "opt_state/0/nu/kernel", "params/bias", "params/kernel", "step"],
            Checkpoint.Load(path).Paths);
        Assert.Equal(2, restored.Step);
        TreeAssert.SameTree(state.Params, restored.Params);
        TreeAssert.SameTree(state.Collections.Tree, restored.Collections.Tree);
        TreeAssert.SameTree(Serialization.ToStateDict(state.OptState), Serialization.ToStateDict(restored.OptState));
        TreeAssert.SameTree(state.ApplyGradients(Grads(state, 2f)).Params, restored.ApplyGradients(Grads(state, 2f)).Params);
    }

    [Fact]
    public void CheckpointOfAnotherModelIsNamedByFileAndPath()
    {
        var path = Path.Combine(_directory, "wide.msgpack");
        Checkpoint.Save(path, Fresh(features: 5));

        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(path, Fresh()));

        Assert.Equal($"Cannot restore '{path}' into the target at 'batch_stats/mean': "
            + "expected a float32 leaf of shape (2,), found a float32 leaf of shape (5,).", error.Message);
    }
}
