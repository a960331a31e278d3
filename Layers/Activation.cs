using Linen.Functional;
using static TorchSharp.torch;

namespace Linen.Layers;

/// <summary>
/// A parameter-free function used where a module is expected, e.g. <c>new Activation(Activations.Relu)</c> in a
/// <see cref="Sequential"/> (where, as in Flax, it still takes its place in the <c>layers_k</c> numbering). It owns no
/// variables and draws no keys; its auto-names (<c>Activation_k</c>) use a counter of their own, so they never shift
/// the names, parameter paths or keys of other submodules, just as Flax's plain functions do not.
/// </summary>
/// <param name="Function">The function applied to the input.</param>
public sealed record Activation(Func<Tensor, Tensor> Function) : Module
{
    /// <summary>Applies <see cref="Function"/>.</summary>
    public override Tensor Call(Scope scope, Tensor input) => Function(input);
}
