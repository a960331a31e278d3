using Linen.Functional;
using Xunit;
using static Linen.Tests.Functional.OptimTesting;

namespace Linen.Tests.Functional;

/// <summary>
/// <c>optax.sgd</c>. Closed forms for a constant gradient g (optax/transforms/_accumulation.py, <c>trace</c>):
/// the trace after k steps is t_k = Σ_{i&lt;k} μ^i·g, so with μ = 0.9: t = 1, 1.9, 2.71 (×g); Nesterov emits
/// g + μ·t_k = 1.9, 2.71, 3.439 (×g).
/// </summary>
public class SgdTests : OptimizerContract
{
    protected override GradientTransformation Create() => Optax.Sgd(0.1);
    protected override int StateTensorsPerParameter => 0;

    private static readonly ParamTree[] ConstantGrad = [Leaf(1f, -2f), Leaf(1f, -2f), Leaf(1f, -2f)];

    [Fact]
    public void PlainStepsMoveByMinusLearningRateTimesGradient() =>
        AssertSteps([[0.9, 1.5], [0.8, 1.7], [0.7, 1.9]], Steps(Optax.Sgd(0.1), Leaf(1f, 1.3f), ConstantGrad));

    [Fact]
    public void MomentumAccumulatesTheTraceWithoutDampening() =>
        // p3 = p0 − 0.1·(1 + 1.9 + 2.71)·g = p0 − 0.561·g
        AssertSteps([[-0.1, 0.2], [-0.29, 0.58], [-0.561, 1.122]], Steps(Optax.Sgd(0.1, momentum: 0.9), Leaf(0f, 0f), ConstantGrad));

    [Fact]
    public void NesterovEmitsGradientPlusDecayedTrace() =>
        // p3 = p0 − 0.1·(1.9 + 2.71 + 3.439)·g = p0 − 0.8049·g
        AssertSteps([[-0.19, 0.38], [-0.461, 0.922], [-0.8049, 1.6098]],
            Steps(Optax.Sgd(0.1, momentum: 0.9, nesterov: true), Leaf(0f, 0f), ConstantGrad));

    [Fact]
    public void MomentumStateIsTheTrace()
    {
        var tx = Optax.Sgd(0.1, momentum: 0.9);
        var state = tx.Init(Leaf(0f));
        state = tx.Update(Leaf(1f), state, null).State;
        state = tx.Update(Leaf(1f), state, null).State;
        var trace = Assert.IsType<TraceState>(((ChainState)state).Inner[0]).Trace;
        Assert.Equal(1.9f, trace["w"].item<float>(), 6);
        Assert.Same(EmptyState.Instance, ((ChainState)state).Inner[1]);
    }
}

/// <summary>The contract for SGD with momentum, whose state is one trace per parameter.</summary>
public class SgdMomentumContractTests : OptimizerContract
{
    protected override GradientTransformation Create() => Optax.Sgd(0.1, momentum: 0.9, nesterov: true);
    protected override int StateTensorsPerParameter => 1;
}
