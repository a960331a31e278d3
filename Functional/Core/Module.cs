using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>
/// A module: an immutable record of hyperparameters that defines its computation once, in <see cref="Call"/>,
/// asking its <see cref="Scope"/> for parameters, keys and submodules. <see cref="Init"/> and
/// <see cref="Apply(Variables, Tensor, Rngs?, bool)"/> turn that one definition into a pure pair of functions
/// over immutable <see cref="Variables"/>. A module holds no tensors.
/// </summary>
public abstract record Module
{
    /// <summary>An explicit name under its parent; when null the parent names it <c>{TypeName}_{k}</c>.</summary>
    public string? Name { get; init; }

    /// <summary>The name used for auto-naming: the type name, as Flax uses the class name.</summary>
    public virtual string TypeName => GetType().Name;

    /// <summary>The computation on one input.</summary>
    /// <param name="scope">This module's scope for this call.</param>
    /// <param name="input">The input.</param>
    public abstract Tensor Call(Scope scope, Tensor input);

    /// <summary>Creates all variables by running the module on a sample input (its shape decides the parameters' shapes).</summary>
    /// <param name="rngs">Root keys; a single <c>PrngKey</c> converts to the <c>params</c> stream.</param>
    /// <param name="sample">A sample input; parameters are created on its device.</param>
    /// <param name="train">Run in training mode (Flax modules usually init with it off).</param>
    public Variables Init(Rngs rngs, Tensor sample, bool train = false) => InitWithOutput(rngs, sample, train).Variables;

    /// <summary>As <see cref="Init"/>, also returning the output of the call.</summary>
    public (Tensor Output, Variables Variables) InitWithOutput(Rngs rngs, Tensor sample, bool train = false) =>
        Transform.Init(rngs, scope => Call(scope, sample), sample.device, train);

    /// <summary>Runs the module with the given variables; nothing is mutable.</summary>
    /// <param name="variables">The variables from <see cref="Init"/> (or a checkpoint).</param>
    /// <param name="input">The input.</param>
    /// <param name="rngs">Keys of the streams the module draws from (e.g. <c>dropout</c> in training).</param>
    /// <param name="train">Training mode.</param>
    public Tensor Apply(Variables variables, Tensor input, Rngs? rngs = null, bool train = false) =>
        Transform.Apply(variables, scope => Call(scope, input), rngs, train);

    /// <summary>Runs the module and returns the updated <paramref name="mutable"/> collections (e.g. <c>batch_stats</c>).</summary>
    public (Tensor Output, Variables Mutated) Apply(Variables variables, Tensor input, CollectionFilter mutable, Rngs? rngs = null, bool train = false) =>
        Transform.Apply(variables, scope => Call(scope, input), mutable, rngs, train);
}
