using Linen.Cli.Training;
using Linen.Functional;
using Xunit;
using static TorchSharp.torch;

namespace Linen.Tests.Cli;

public sealed class OptStateDictTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static ParamTree Params() => ParamTree.CreateBuilder()
        .Add("Dense_0/kernel", ones(3, 2))
        .Add("Dense_0/bias", zeros(2))
        .ToImmutable();

    [Fact]
    public void AdamWithAScheduleHasFlaxsStateDictLayout()
    {
        using var scope = NewDisposeScope();
        var state = Optax.Adam(Schedules.CosineDecay(1e-3, 10)).Init(Params());

        var tree = OptStateDict.ToTree(state);

        // optax: (ScaleByAdamState(count, mu, nu), ScaleByScheduleState(count)) → {'0': {...}, '1': {'count'}}.
        Assert.Equal(
            ["0/count", "0/mu/Dense_0/bias", "0/mu/Dense_0/kernel", "0/nu/Dense_0/bias", "0/nu/Dense_0/kernel", "1/count"],
            tree.Paths.Order(StringComparer.Ordinal));
        Assert.Equal(ScalarType.Int32, tree["0/count"].dtype);
        Assert.Empty(tree["1/count"].shape);
    }

    [Theory]
    [InlineData("adam")]
    [InlineData("adamw")]
    [InlineData("sgd")]
    public void StatesSurviveACheckpointFileWithTheirCounts(string optimizer)
    {
        using var scope = NewDisposeScope();
        var tx = new OptimizerSettings(optimizer, 0.1, "cosine", 0.9, 1e-4).Build(totalSteps: 10);
        var parameters = Params();
        var state = tx.Init(parameters);
        for (var i = 0; i < 3; i++) (_, state) = tx.Update(parameters.Map(p => p.FullLike(0.5 + i)), state, parameters);
        var path = _dir.File($"{optimizer}.msgpack");

        Checkpoint.Save(path, OptStateDict.ToTree(state));
        // The stored tree fits a fresh state's, empty states (optax's EmptyState) included.
        var stored = Serialization.FromStateDict(OptStateDict.ToTree(tx.Init(parameters)), Checkpoint.Load(path));
        var restored = OptStateDict.FromTree(tx.Init(parameters), stored);

        var (expected, after) = (tx.Update(parameters, state, parameters), tx.Update(parameters, restored, parameters));
        Assert.True(ParamTree.AllClose(expected.Updates, after.Updates, 0, 0));
        Assert.Equal(OptStateDict.ToTree(expected.State).Paths, OptStateDict.ToTree(after.State).Paths);
        Assert.True(ParamTree.AllClose(OptStateDict.ToTree(expected.State), OptStateDict.ToTree(after.State), 0, 0));
    }
}
