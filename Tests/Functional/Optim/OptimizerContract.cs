using Linen.Functional;
using Xunit;
using static TorchSharp.torch;

namespace Linen.Tests.Functional;

/// <summary>
/// What every optimizer must do, whatever its formula: a state of parameter-shaped tensors, pure and
/// deterministic updates that record no autograd and free their temporaries, clear errors on misuse.
/// Every optimizer test class inherits it.
/// </summary>
public abstract class OptimizerContract
{
    /// <summary>The optimizer under test.</summary>
    protected abstract GradientTransformation Create();

    /// <summary>How many parameter-shaped tensors its state keeps per parameter (Adam: 2, plain SGD: 0).</summary>
    protected abstract int StateTensorsPerParameter { get; }

    private static ParamTree Params() => ParamTree.CreateBuilder()
        .Add("Dense_0/kernel", tensor(new[] { 1f, -0.5f, 0.25f, 2f }).reshape(2, 2))
        .Add("Dense_0/bias", tensor(new[] { 0.1f, -0.2f }))
        .ToImmutable();

    private static ParamTree Grads() => ParamTree.CreateBuilder()
        .Add("Dense_0/kernel", tensor(new[] { 0.3f, -1f, 0f, 0.7f }).reshape(2, 2))
        .Add("Dense_0/bias", tensor(new[] { -0.4f, 0.05f }))
        .ToImmutable();

    private static ParamTree Clone(ParamTree t) => t.Map(x => x.clone());

    [Fact]
    public void InitStateHoldsParameterShapedTensors()
    {
        var parameters = Params();
        var state = Create().Init(parameters);
        var tensors = ((ITensorContainer)state).Tensors.ToList();
        Assert.Equal(StateTensorsPerParameter * parameters.LeafCount, tensors.Count);
        var shapes = parameters.Leaves.Select(p => Linen.Functional.Shapes.Format(p.shape)).ToHashSet();
        Assert.All(tensors, t => Assert.Contains(Linen.Functional.Shapes.Format(t.shape), shapes));
        Assert.All(tensors, t => Assert.DoesNotContain(parameters.Leaves, p => ReferenceEquals(p, t)));
    }

    [Fact]
    public void UpdateLeavesItsInputsUnchanged()
    {
        var tx = Create();
        var (parameters, grads) = (Params(), Grads());
        var state = tx.Update(Grads(), tx.Init(parameters), parameters).State;  // a state with non-trivial moments
        var (p0, g0) = (Clone(parameters), Clone(grads));
        var s0 = ((ITensorContainer)state).Tensors.Select(t => t.clone()).ToList();

        tx.Update(grads, state, parameters);

        Assert.True(ParamTree.AllClose(p0, parameters, 0, 0));
        Assert.True(ParamTree.AllClose(g0, grads, 0, 0));
        Assert.All(((ITensorContainer)state).Tensors.Zip(s0), pair => Assert.True(pair.First.Equals(pair.Second)));
    }

    [Fact]
    public void UpdateIsDeterministic()
    {
        var tx = Create();
        var parameters = Params();
        var state = tx.Init(parameters);
        var first = tx.Update(Grads(), state, parameters);
        var second = tx.Update(Grads(), state, parameters);
        Assert.True(ParamTree.AllClose(first.Updates, second.Updates, 0, 0));
        Assert.All(((ITensorContainer)first.State).Tensors.Zip(((ITensorContainer)second.State).Tensors),
            pair => Assert.True(pair.First.Equals(pair.Second)));
    }

    [Fact]
    public void UpdateKeepsTheStateLayout()
    {
        var tx = Create();
        var parameters = Params();
        var initial = tx.Init(parameters);
        var (updates, next) = tx.Update(Grads(), initial, parameters);
        Assert.Equal(initial.GetType(), next.GetType());
        var before = ((ITensorContainer)initial).Tensors.Select(t => Linen.Functional.Shapes.Format(t.shape));
        var after = ((ITensorContainer)next).Tensors.Select(t => Linen.Functional.Shapes.Format(t.shape));
        Assert.Equal(before, after);
        Assert.Equal(parameters.Paths, updates.Paths);
    }

    [Fact]
    public void UpdateRecordsNoAutograd()
    {
        var tx = Create();
        var parameters = Params().Map(p => p.requires_grad_(true));
        var grads = Grads().Map(g => g.requires_grad_(true));
        var (updates, state) = tx.Update(grads, tx.Init(parameters), parameters);
        Assert.All(updates.Leaves.Concat(((ITensorContainer)state).Tensors), t => Assert.False(t.requires_grad));
        Assert.All(Optax.ApplyUpdates(parameters, updates).Leaves, t => Assert.False(t.requires_grad));
    }

    [Fact]
    public void UpdateFreesItsTemporaries()
    {
        var tx = Create();
        var parameters = Params();
        var grads = Grads();
        var state = tx.Init(parameters);
        var inputs = parameters.Leaves.Concat(grads.Leaves).Concat(((ITensorContainer)state).Tensors).ToHashSet(ReferenceEqualityComparer.Instance);
        var before = OptimTesting.LiveTensors;

        var (updates, next) = tx.Update(grads, state, parameters);

        var created = updates.Leaves.Concat(((ITensorContainer)next).Tensors).Distinct(ReferenceEqualityComparer.Instance).Count(t => !inputs.Contains(t));
        Assert.Equal(before + created, OptimTesting.LiveTensors);
    }

    [Fact]
    public void UpdateAndApplyAgreesWithUpdateThenApplyUpdates()
    {
        var tx = Create();
        var (fused, fusedState) = (Params(), tx.Init(Params()));
        var (plain, plainState) = (Params(), tx.Init(Params()));
        foreach (var grads in new[] { Grads(), Grads().Map(g => g.neg()), Grads() })
        {
            (fused, fusedState) = tx.UpdateAndApply(grads, fusedState, fused);
            (var updates, plainState) = tx.Update(grads, plainState, plain);
            plain = Optax.ApplyUpdates(plain, updates);
            OptimTesting.AssertSameResult(plain, plainState, fused, fusedState);
        }
    }

    [Fact]
    public void UpdateAndApplyLeavesItsInputsUnchangedAndFreesItsTemporaries()
    {
        var tx = Create();
        var (parameters, grads) = (Params(), Grads());
        var state = tx.Update(Grads(), tx.Init(parameters), parameters).State;
        var (p0, g0) = (Clone(parameters), Clone(grads));
        var s0 = ((ITensorContainer)state).Tensors.Select(t => t.clone()).ToList();
        var inputs = parameters.Leaves.Concat(grads.Leaves).Concat(((ITensorContainer)state).Tensors).ToHashSet(ReferenceEqualityComparer.Instance);
        var before = OptimTesting.LiveTensors;

        var (next, nextState) = tx.UpdateAndApply(grads, state, parameters);

        var created = next.Leaves.Concat(((ITensorContainer)nextState).Tensors).Distinct(ReferenceEqualityComparer.Instance).Count(t => !inputs.Contains(t));
        Assert.Equal(before + created, OptimTesting.LiveTensors);
        Assert.True(ParamTree.AllClose(p0, parameters, 0, 0));
        Assert.True(ParamTree.AllClose(g0, grads, 0, 0));
        Assert.All(((ITensorContainer)state).Tensors.Zip(s0), pair => Assert.True(pair.First.Equals(pair.Second)));
        Assert.All(next.Leaves.Concat(((ITensorContainer)nextState).Tensors), t => Assert.False(t.requires_grad));
    }

    [Fact]
    public void UpdateAndApplyRejectsGradientsOfAnotherStructure()
    {
        var tx = Create();
        var parameters = Params();
        Assert.Throws<TreeStructureException>(() => tx.UpdateAndApply(Grads().Remove("Dense_0/bias"), tx.Init(parameters), parameters));
    }

    [Fact]
    public void UpdateRejectsAStateFromAnotherTransformation()
    {
        var tx = Create();
        var error = Assert.Throws<ArgumentException>(() => tx.Update(Grads(), EmptyState.Instance, Params()));
        Assert.StartsWith("Chain expects a state of type ChainState, got EmptyState", error.Message);
    }

    [Fact]
    public void GradientsOfAnotherStructureAreRejected()
    {
        var tx = Create();
        var parameters = Params();
        var state = tx.Init(parameters);
        var grads = Grads().Remove("Dense_0/bias");
        // Stateless transformations (plain SGD) pass any tree through, as optax does; ApplyUpdates then rejects it.
        Assert.Throws<TreeStructureException>(() => Optax.ApplyUpdates(parameters, tx.Update(grads, state, parameters).Updates));
    }
}
