using static TorchSharp.torch;

namespace Linen.Functional;

public static partial class Serialization
{
    private const string StepKey = "step";
    private const string OptStateKey = "opt_state";

    /// <summary>
    /// The Flax state dict of a <see cref="TrainState"/>, as <c>flax.serialization.to_state_dict</c> stores Flax's
    /// <c>TrainState</c> (its data fields; the model and optimizer are code): <c>step</c> (an int64 scalar),
    /// <c>params</c>, <c>opt_state</c> (<see cref="ToStateDict(OptState)"/>), and the other collections beside them
    /// (<c>batch_stats</c>), where a Flax <c>TrainState</c> subclass keeps them. Save it with <see cref="Checkpoint"/>.
    /// </summary>
    /// <param name="state">The state; the tree shares its tensors, only the step and counts are new tensors.</param>
    public static ParamTree ToStateDict(TrainState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var tree = ParamTree.Empty
            .SetItem(StepKey, tensor(state.Step))
            .SetItem(Variables.ParamsCollection, state.Params)
            .SetItem(OptStateKey, ToStateDict(state.OptState));
        return state.Collections.Collections.Aggregate(tree, (t, c) => t.SetItem(c, state.Collections[c]));
    }

    /// <summary>
    /// <c>flax.serialization.from_state_dict</c> for a <see cref="TrainState"/>: <paramref name="target"/> (e.g. a fresh
    /// <see cref="TrainState.Create(Module, Variables, GradientTransformation)"/> of the same model and optimizer) with
    /// the step, parameters, optimizer state and collections of <paramref name="stateDict"/>, which must have exactly
    /// the keys, shapes and dtypes of <see cref="ToStateDict(TrainState)"/> of the target.
    /// </summary>
    /// <param name="target">Gives the model, the optimizer and the structure; its values are not used.</param>
    /// <param name="stateDict">The stored tree, e.g. from <see cref="Checkpoint.Load(string)"/>.</param>
    /// <exception cref="CheckpointException">The first path where <paramref name="stateDict"/> differs from the target's state dict.</exception>
    public static TrainState FromStateDict(TrainState target, ParamTree stateDict) =>
        FromStateDict(target, stateDict, "the state dict");

    internal static TrainState FromStateDict(TrainState target, ParamTree stateDict, string source)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(stateDict);
        using (NewDisposeScope()) FromStateDict(ToStateDict(target), stateDict, source);
        var collections = stateDict.Keys.Where(k => k is not (StepKey or Variables.ParamsCollection or OptStateKey))
            .Aggregate(Variables.Empty, (v, c) => v.SetCollection(c, stateDict.Subtree(c)));
        return target with
        {
            Step = stateDict[StepKey].item<long>(),
            Params = stateDict.Subtree(Variables.ParamsCollection),
            OptState = RestoreChecked(target.OptState, stateDict.Subtree(OptStateKey)),
            Collections = collections,
        };
    }
}
