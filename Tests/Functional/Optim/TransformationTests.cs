using Linen.Functional;
using Xunit;
using static Linen.Tests.Functional.OptimTesting;
using static TorchSharp.torch;

namespace Linen.Tests.Functional;

/// <summary>The building blocks: clipping, decayed weights, learning-rate scaling, chain, mask, apply_updates.</summary>
public class TransformationTests
{
    [Fact]
    public void ClipByGlobalNormRescalesToTheMaximum()
    {
        // Global norm of {a: [3], b: [4]} is 5; max 1 gives [0.6, 0.8] (optax/transforms/_clipping.py).
        var updates = ParamTree.CreateBuilder().Add("a", tensor(new[] { 3f })).Add("b", tensor(new[] { 4f })).ToImmutable();
        var tx = Optax.ClipByGlobalNorm(1);
        var clipped = tx.Update(updates, tx.Init(updates)).Updates;
        Assert.Equal(0.6f, clipped["a"].item<float>(), 6);
        Assert.Equal(0.8f, clipped["b"].item<float>(), 6);
        Assert.Equal(5.0, Optax.GlobalNorm(updates), 6);
    }

    [Fact]
    public void ClipByGlobalNormLeavesSmallUpdatesUntouched()
    {
        var updates = Leaf(3f, 4f);
        var tx = Optax.ClipByGlobalNorm(5.5);
        Assert.Same(updates, tx.Update(updates, tx.Init(updates)).Updates);
    }

    [Fact]
    public void LearningRateScheduleUsesTheCountBeforeTheUpdate()
    {
        // lr(k) = k + 1: the first update uses lr(0) = 1, the second lr(1) = 2 (optax scale_by_schedule).
        AssertSteps([[-1], [-3], [-6]], Steps(Optax.Sgd((Schedule)(k => k + 1)), Leaf(0f), Leaf(1f), Leaf(1f), Leaf(1f)));
    }

    [Fact]
    public void ScaleByLearningRateCanKeepTheSign()
    {
        var tx = Optax.ScaleByLearningRate(0.5, flipSign: false);
        Assert.Equal(1f, tx.Update(Leaf(2f), tx.Init(Leaf(0f))).Updates["w"].item<float>());
    }

    [Fact]
    public void ConstantLearningRateKeepsNoStateButAScheduleCounts()
    {
        Assert.Same(EmptyState.Instance, Optax.ScaleByLearningRate(0.1).Init(Leaf(0f)));
        var tx = Optax.ScaleByLearningRate(Schedules.Constant(0.1));
        var state = tx.Update(Leaf(1f), tx.Init(Leaf(0f))).State;
        Assert.Equal(new ScaleByScheduleState(1), state);
    }

    [Fact]
    public void ScheduledWeightDecayUsesTheCountBeforeTheUpdate()
    {
        // wd(k) = 0.1·(k + 1): updates g + wd·p = 0 + 0.1·2 and then 0 + 0.2·2.
        var tx = Optax.AddDecayedWeights((Schedule)(k => 0.1f * (k + 1)));
        var p = Leaf(2f);
        var (u1, s1) = tx.Update(Leaf(0f), tx.Init(p), p);
        var (u2, s2) = tx.Update(Leaf(0f), s1, p);
        Assert.Equal(0.2f, u1["w"].item<float>(), 6);
        Assert.Equal(0.4f, u2["w"].item<float>(), 6);
        Assert.Equal(new WeightDecayScheduleState(2), s2);
    }

    [Fact]
    public void ZeroConstantDecayPassesTheUpdatesThrough()
    {
        var tx = Optax.AddDecayedWeights(0.0);
        var g = Leaf(1f);
        Assert.Same(g, tx.Update(g, tx.Init(g), Leaf(5f)).Updates);
    }

    [Fact]
    public void MaskedKeepsInnerStateOnlyForSelectedLeaves()
    {
        var p = ParamTree.CreateBuilder().Add("Dense_0/bias", zeros(2)).Add("Dense_0/kernel", zeros(2, 2)).ToImmutable();
        var tx = Optax.Masked(Optax.Sgd(1.0, momentum: 0.9), path => path.EndsWith("kernel"));
        var state = Assert.IsType<MaskedState>(tx.Init(p));
        var trace = Assert.IsType<TraceState>(((ChainState)state.InnerState).Inner[0]).Trace;
        Assert.Equal(["Dense_0/kernel"], trace.Paths);

        var g = p.Map(t => ones_like(t));
        var updates = tx.Update(g, state, p).Updates;
        Assert.Same(g["Dense_0/bias"], updates["Dense_0/bias"]);
        Assert.Equal(-1f, updates["Dense_0/kernel"][0, 0].item<float>());
    }

    [Fact]
    public void ChainThreadsUpdatesInOrder()
    {
        // clip to norm 1, then scale by −2: [3, 4] → [0.6, 0.8] → [−1.2, −1.6]; the other order would give [−0.6, −0.8].
        var tx = Optax.Chain(Optax.ClipByGlobalNorm(1), Optax.Scale(-2));
        var updates = tx.Update(Leaf(3f, 4f), tx.Init(Leaf(0f, 0f))).Updates;
        Assert.Equal([-1.2f, -1.6f], updates["w"].data<float>().ToArray(), new ToleranceComparer(1e-6));
    }

    [Fact]
    public void ChainRejectsAStateOfAnotherLength()
    {
        var tx = Optax.Chain(Optax.Identity(), Optax.Identity());
        var foreign = Optax.Chain(Optax.Identity()).Init(Leaf(0f));
        var error = Assert.Throws<ArgumentException>(() => tx.Update(Leaf(1f), foreign));
        Assert.Equal("Chain of 2 transformations got a state of 1: make the state with this chain's Init. (Parameter 'state')", error.Message);
    }

    [Fact]
    public void ApplyUpdatesKeepsTheParameterDtype()
    {
        var p = ParamTree.CreateBuilder().Add("w", tensor(new[] { 1.0f }, ScalarType.Float16)).ToImmutable();
        var u = ParamTree.CreateBuilder().Add("w", tensor(new[] { 0.5f })).ToImmutable();
        var applied = Optax.ApplyUpdates(p, u)["w"];
        Assert.Equal(ScalarType.Float16, applied.dtype);
        Assert.Equal(1.5f, applied.to_type(ScalarType.Float32).item<float>());
    }

    [Fact]
    public void ApplyUpdatesNamesTheMismatch()
    {
        var error = Assert.Throws<TreeStructureException>(() => Optax.ApplyUpdates(Leaf(1f), Leaf(1f, 2f)));
        Assert.Equal(
            "ApplyUpdates: the updates (first tree) do not match the parameters (second tree). Tree structures differ at 'w' " +
            "(shapes (2,) and (1,)). Updates must have the parameters' structure and shapes.", error.Message);
    }

    [Fact]
    public void CountsSaturateAtTheLargestInt32()
    {
        var tx = Optax.ScaleByLearningRate(Schedules.Constant(1));
        var state = tx.Update(Leaf(1f), new ScaleByScheduleState(int.MaxValue)).State;
        Assert.Equal(new ScaleByScheduleState(int.MaxValue), state);
    }
}
