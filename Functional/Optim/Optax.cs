using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>
/// Optax's gradient transformations and optimizers (<c>optax.adam</c>, <c>optax.chain</c>, …) over
/// <see cref="ParamTree"/>s, with optax's formulas, defaults and state layout. One file per concept.
/// </summary>
public static partial class Optax
{
    /// <summary>
    /// <c>optax.apply_updates</c>: <c>params + updates</c> leaf by leaf, cast back to each parameter's dtype.
    /// Nothing passed in is modified.
    /// </summary>
    /// <exception cref="TreeStructureException">The trees differ in structure or shapes.</exception>
    public static ParamTree ApplyUpdates(ParamTree parameters, ParamTree updates)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(updates);
        TreeMath.RequireMatch(nameof(ApplyUpdates), updates, parameters, "parameters", "Updates must have the parameters' structure and shapes.");
        return Pure.Run(() => TreeMath.Zip(parameters, updates, Add), p => p.Leaves);

        static Tensor Add(Tensor p, Tensor u)
        {
            var sum = p.Add(u);
            return sum.dtype == p.dtype ? sum : sum.to_type(p.dtype);
        }
    }

    /// <summary><c>optax.identity</c>: passes the updates through; no state.</summary>
    public static GradientTransformation Identity() =>
        new(_ => EmptyState.Instance, (updates, state, _) => (updates, state));
}
