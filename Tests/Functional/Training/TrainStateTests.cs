using Linen.Functional;
using Xunit;
using static TorchSharp.torch;

namespace Linen.Tests.Functional;

/// <summary><c>flax.training.train_state.TrainState</c> semantics (spec/linen.md §C.1).</summary>
public class TrainStateTests
{
    /// <summary>y = x·kernel + bias with zero-initialised parameters, plus a counter in a second collection.</summary>
    internal sealed record LinearModel(int Features) : Module
    {
        public override Tensor Call(Scope scope, Tensor input)
        {
            var kernel = scope.Param("kernel", (_, shape) => new float[Linen.Functional.Shapes.Numel(shape)], [input.shape[^1], Features]);
            var bias = scope.Param("bias", (_, shape) => new float[Linen.Functional.Shapes.Numel(shape)], [Features]);
            return input.mm(kernel).Add(bias);
        }
    }

    private static ParamTree Params() => ParamTree.CreateBuilder()
        .Add("bias", tensor(new[] { 0.5f })).Add("kernel", tensor(new[] { 1f, 2f }).reshape(2, 1)).ToImmutable();

    private static ParamTree Grads() => ParamTree.CreateBuilder()
        .Add("bias", tensor(new[] { 1f })).Add("kernel", tensor(new[] { -1f, 3f }).reshape(2, 1)).ToImmutable();

    [Fact]
    public void CreateStartsAtStepZeroWithTheOptimizersInitialState()
    {
        var state = TrainState.Create(new LinearModel(1), Params(), Optax.Adam(0.1));
        Assert.Equal(0, state.Step);
        var adam = Assert.IsType<ScaleByAdamState>(Assert.IsType<ChainState>(state.OptState).Inner[0]);
        Assert.Equal(0, adam.Count);
        Assert.Equal(state.Params.Paths, adam.Mu.Paths);
    }

    [Fact]
    public void ApplyGradientsStepsOnceAndLeavesTheOldStateAlone()
    {
        var state = TrainState.Create(new LinearModel(1), Params(), Optax.Sgd(0.1));
        var next = state.ApplyGradients(Grads()).ApplyGradients(Grads());
        Assert.Equal(2, next.Step);
        Assert.Equal(0, state.Step);
        // p − 2·0.1·g
        Assert.Equal(0.3f, next.Params["bias"].item<float>(), 6);
        Assert.Equal([1.2f, 1.4f], next.Params["kernel"].data<float>().ToArray(), new ToleranceComparer(1e-6));
        Assert.Equal(0.5f, state.Params["bias"].item<float>());
    }

    [Fact]
    public void CreateFromVariablesSplitsParamsFromOtherCollections()
    {
        var variables = new Variables(ParamTree.Empty
            .SetItem("params", Params())
            .SetItem("batch_stats/mean", zeros(1)));
        var state = TrainState.Create(new LinearModel(1), variables, Optax.Sgd(0.1));
        Assert.Equal(["bias", "kernel"], state.Params.Paths);
        Assert.Equal(["batch_stats"], state.Collections.Collections);
        Assert.Equal(["batch_stats/mean", "params/bias", "params/kernel"], state.Variables.Tree.Paths);
        Assert.Equal(3, ((ITensorContainer)state).Tensors.Count());  // 2 params, none for plain SGD, 1 batch_stats
    }

    [Fact]
    public void CollectionsMayNotHoldParams()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            TrainState.Create(new LinearModel(1), Params(), Optax.Sgd(0.1), Variables.FromParams(Params())));
        Assert.StartsWith("TrainState keeps the parameters in Params", error.Message);
    }

    [Fact]
    public void GradientsOfTheWrongStructureAreRejected()
    {
        var state = TrainState.Create(new LinearModel(1), Params(), Optax.Adam(0.1));
        Assert.Throws<TreeStructureException>(() => state.ApplyGradients(Grads().Remove("bias")));
    }

    [Fact]
    public void AdvanceFreesTheOldStateAndKeepsTheNewOne()
    {
        var state = TrainState.Create(new LinearModel(1), Params(), Optax.Adam(0.1));
        var old = ((ITensorContainer)state).Tensors.ToList();
        var next = Lifetime.Advance(state, s => s.ApplyGradients(Grads()));
        Assert.All(old, t => Assert.True(t.IsInvalid));
        Assert.All(((ITensorContainer)next).Tensors, t => Assert.False(t.IsInvalid));
        Assert.Equal(1, next.Step);
    }
}
