using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>
/// <c>flax.training.train_state.TrainState</c>: the step count, the model, its parameters, the optimizer and the
/// optimizer state, immutable. <see cref="ApplyGradients"/> returns the next state. Collections other than
/// <c>params</c> (e.g. <c>batch_stats</c>) ride along in <see cref="Collections"/>, where Flax would subclass;
/// replace them with <c>state with { Collections = mutated }</c>.
/// </summary>
/// <remarks>
/// It is an <see cref="ITensorContainer"/>: in a loop, <c>state = Lifetime.Advance(state, s =&gt; …)</c> frees each
/// old state and every temporary of the step.
/// </remarks>
/// <param name="Step">The number of gradient steps taken (0 after <see cref="Create(Module, ParamTree, GradientTransformation, Variables?)"/>).</param>
/// <param name="Model">The model, Flax's <c>apply_fn</c>: call <c>Model.Apply(state.Variables, x, …)</c>.</param>
/// <param name="Params">The trainable parameters (the <c>params</c> collection's tree).</param>
/// <param name="Tx">The optimizer.</param>
/// <param name="OptState">The optimizer's state for <paramref name="Params"/>.</param>
/// <param name="Collections">The model's other collections (no <c>params</c>); empty when it has none.</param>
public sealed record TrainState(
    long Step, Module Model, ParamTree Params, GradientTransformation Tx, OptState OptState, Variables Collections) : ITensorContainer
{
    /// <summary><c>TrainState.create</c>: step 0 and <c>OptState = tx.Init(parameters)</c>.</summary>
    /// <param name="model">The model.</param>
    /// <param name="parameters">The trainable parameters.</param>
    /// <param name="tx">The optimizer.</param>
    /// <param name="collections">Other collections to carry (e.g. <c>batch_stats</c>); must not contain <c>params</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="collections"/> contains <c>params</c>.</exception>
    public static TrainState Create(Module model, ParamTree parameters, GradientTransformation tx, Variables? collections = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(tx);
        collections ??= Variables.Empty;
        if (collections.Has(Variables.ParamsCollection))
            throw new ArgumentException(
                "TrainState keeps the parameters in Params; the other collections must not contain 'params'. " +
                "Pass Variables from Init to Create(model, variables, tx) to split them.", nameof(collections));
        return new TrainState(0, model, parameters, tx, tx.Init(parameters), collections);
    }

    /// <summary>As <see cref="Create(Module, ParamTree, GradientTransformation, Variables?)"/>, splitting <paramref name="variables"/> (from <c>Init</c>) into <c>params</c> and the other collections.</summary>
    public static TrainState Create(Module model, Variables variables, GradientTransformation tx)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return Create(model, variables.Params, tx, new Variables(variables.Tree.Remove(Variables.ParamsCollection)));
    }

    /// <summary>All variables for <c>Model.Apply</c>: <see cref="Params"/> under <c>params</c> plus <see cref="Collections"/>.</summary>
    public Variables Variables => Collections.WithParams(Params);

    /// <summary>
    /// <c>apply_gradients</c>: <c>(updates, OptState') = Tx.Update(grads, OptState, Params)</c>,
    /// <c>Params' = ApplyUpdates(Params, updates)</c>, <c>Step + 1</c>, through
    /// <see cref="GradientTransformation.UpdateAndApply"/> (one pass for Adam and AdamW). Nothing in this state is modified.
    /// </summary>
    /// <param name="grads">The gradients, with the structure of <see cref="Params"/>.</param>
    /// <exception cref="TreeStructureException">The gradients do not match the parameters.</exception>
    public TrainState ApplyGradients(ParamTree grads)
    {
        ArgumentNullException.ThrowIfNull(grads);
        var (parameters, optState) = Tx.UpdateAndApply(grads, OptState, Params);
        return this with { Step = Step + 1, Params = parameters, OptState = optState };
    }

    IEnumerable<Tensor> ITensorContainer.Tensors => Params.Leaves.Concat(OptState.AllTensors).Concat(Collections.Tensors);
}
