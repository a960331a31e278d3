using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>The state of <see cref="Optax.Masked"/>: the inner state, kept for the selected leaves only.</summary>
/// <param name="InnerState">The inner transformation's state.</param>
public sealed record MaskedState(OptState InnerState) : OptState
{
    /// <inheritdoc />
    protected override IEnumerable<Tensor> EnumerateTensors() => InnerState.AllTensors;
}

public static partial class Optax
{
    /// <summary>
    /// <c>optax.masked</c>: applies <paramref name="inner"/> only to the leaves whose path <paramref name="mask"/>
    /// accepts; the others pass through unchanged. Paths are relative to the parameter tree, e.g.
    /// <c>path =&gt; !path.EndsWith("/bias")</c> skips every bias (optax takes a tree of bools or a function making
    /// one; a path predicate says the same for a tree of named leaves).
    /// </summary>
    public static GradientTransformation Masked(GradientTransformation inner, Func<string, bool> mask)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(mask);
        return new(
            parameters => new MaskedState(inner.RawInit(TreeMath.Where(parameters, mask))),
            (updates, state, parameters) =>
            {
                var innerState = state.Expect<MaskedState>(nameof(Masked)).InnerState;
                var selected = TreeMath.Where(updates, mask);
                var (changed, next) = inner.RawUpdate(
                    selected, innerState, parameters is null ? null : TreeMath.Where(parameters, mask));
                var merged = updates.MapWithPath((path, u) => mask(path) ? changed[path] : u);
                return (merged, new MaskedState(next));
            });
    }
}
