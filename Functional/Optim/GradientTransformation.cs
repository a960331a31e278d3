using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>The <c>init</c> half of a gradient transformation: the optimizer state for a parameter tree.</summary>
/// <param name="parameters">The parameters the state is for (their structure and shapes).</param>
public delegate OptState InitFn(ParamTree parameters);

/// <summary>The <c>update</c> half of a gradient transformation.</summary>
/// <param name="updates">The incoming updates (gradients, or the previous transformation's output).</param>
/// <param name="state">The state from <c>Init</c> or the previous <c>Update</c>.</param>
/// <param name="parameters">The current parameters, for transformations that need them (weight decay); may be null otherwise.</param>
public delegate (ParamTree Updates, OptState State) UpdateFn(ParamTree updates, OptState state, ParamTree? parameters);

/// <summary>An update followed by <see cref="Optax.ApplyUpdates"/> in one function: the new parameters and the new state.</summary>
internal delegate (ParamTree Params, OptState State) UpdateAndApplyFn(ParamTree updates, OptState state, ParamTree parameters);

/// <summary>
/// <c>optax.GradientTransformation</c>: an immutable pair of pure functions. <see cref="Init"/> makes the
/// optimizer state for a parameter tree; <see cref="Update"/> turns updates (gradients) and a state into new
/// updates and a new state. The updates of a full optimizer already carry the minus sign: apply them with
/// <see cref="Optax.ApplyUpdates"/>. Build one from the factories of <see cref="Optax"/> or from your own
/// two functions.
/// </summary>
/// <remarks>
/// Both functions run without autograd recording and inside a dispose scope: the tensors of the result that
/// they created escape to the caller's scope, every temporary is freed. Inputs are never modified; a result
/// may share unchanged leaves with the inputs (as optax returns the same arrays).
/// </remarks>
public sealed class GradientTransformation
{
    /// <summary>Creates a transformation from its two functions (which may assume they run as described in the remarks).</summary>
    public GradientTransformation(InitFn init, UpdateFn update)
    {
        RawInit = init ?? throw new ArgumentNullException(nameof(init));
        RawUpdate = update ?? throw new ArgumentNullException(nameof(update));
    }

    /// <summary>The init function as given, without scoping; <see cref="Optax.Chain"/> composes these.</summary>
    internal InitFn RawInit { get; }

    /// <summary>The update function as given, without scoping.</summary>
    internal UpdateFn RawUpdate { get; }

    /// <summary>A fused update-and-apply (Adam, AdamW), or null: <see cref="UpdateAndApply"/> then runs the two steps.</summary>
    private UpdateAndApplyFn? RawUpdateAndApply { get; init; }

    /// <summary>This transformation with a fused form of <see cref="UpdateAndApply"/>, which must leave the same state.</summary>
    internal GradientTransformation WithUpdateAndApply(UpdateAndApplyFn fused) => new(RawInit, RawUpdate) { RawUpdateAndApply = fused };

    /// <summary>The initial optimizer state for <paramref name="parameters"/>.</summary>
    public OptState Init(ParamTree parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return Pure.Run(() => RawInit(parameters), s => s.AllTensors);
    }

    /// <summary>Transforms <paramref name="updates"/> and advances the state.</summary>
    /// <param name="updates">The gradients (or updates), with the structure of the parameters.</param>
    /// <param name="state">The state from <see cref="Init"/> or the previous call.</param>
    /// <param name="parameters">The current parameters; required by weight decay, ignored otherwise.</param>
    /// <returns>The new updates and the new state.</returns>
    /// <exception cref="TreeStructureException">The updates do not match the state's (or the parameters') structure.</exception>
    /// <exception cref="ArgumentException">The state was made by a different transformation.</exception>
    public (ParamTree Updates, OptState State) Update(ParamTree updates, OptState state, ParamTree? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(updates);
        ArgumentNullException.ThrowIfNull(state);
        return Pure.Run(() => RawUpdate(updates, state, parameters), r => r.Updates.Leaves.Concat(r.State.AllTensors));
    }

    /// <summary>
    /// <see cref="Update"/> followed by <see cref="Optax.ApplyUpdates"/>: the new parameters and the new state, which is
    /// what <c>TrainState.ApplyGradients</c> needs. Adam and AdamW compute it leaf by leaf in one pass, without the
    /// tree of updates in between and in fewer kernels; the parameters agree with the two steps' to float rounding
    /// and the state is the same. Nothing passed in is modified.
    /// </summary>
    /// <param name="updates">The gradients, with the structure of the parameters.</param>
    /// <param name="state">The state from <see cref="Init"/> or the previous call.</param>
    /// <param name="parameters">The current parameters.</param>
    /// <exception cref="TreeStructureException">The updates do not match the state's or the parameters' structure.</exception>
    /// <exception cref="ArgumentException">The state was made by a different transformation.</exception>
    public (ParamTree Params, OptState State) UpdateAndApply(ParamTree updates, OptState state, ParamTree parameters)
    {
        ArgumentNullException.ThrowIfNull(updates);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(parameters);
        return Pure.Run<(ParamTree Params, OptState State)>(
            () =>
            {
                if (RawUpdateAndApply is { } fused) return fused(updates, state, parameters);
                var (applied, next) = RawUpdate(updates, state, parameters);
                return (Optax.ApplyUpdates(parameters, applied), next);
            },
            r => r.Params.Leaves.Concat(r.State.AllTensors));
    }
}
