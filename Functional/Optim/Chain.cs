using System.Collections.Immutable;
using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>The state of <see cref="Optax.Chain"/>: one state per transformation, in order (optax's tuple).</summary>
/// <param name="Inner">The transformations' states.</param>
public sealed record ChainState(ImmutableArray<OptState> Inner) : OptState
{
    /// <inheritdoc />
    protected override IEnumerable<Tensor> EnumerateTensors() => Inner.SelectMany(s => s.AllTensors);
}

public static partial class Optax
{
    /// <summary>
    /// <c>optax.chain</c>: applies the transformations in order, each to the previous one's updates.
    /// The state is a <see cref="ChainState"/> of their states.
    /// </summary>
    public static GradientTransformation Chain(params GradientTransformation[] transformations)
    {
        var parts = transformations.ToImmutableArray();
        return new(
            parameters => new ChainState([.. parts.Select(t => t.RawInit(parameters))]),
            (updates, state, parameters) =>
            {
                var inner = ChainStates(state, parts.Length);
                var states = ImmutableArray.CreateBuilder<OptState>(parts.Length);
                for (int i = 0; i < parts.Length; i++)
                {
                    (updates, var next) = parts[i].RawUpdate(updates, inner[i], parameters);
                    states.Add(next);
                }
                return (updates, new ChainState(states.MoveToImmutable()));
            });
    }

    /// <summary>The inner states of a chain of <paramref name="length"/> transformations.</summary>
    /// <exception cref="ArgumentException">Not a chain's state, or one of another length.</exception>
    internal static ImmutableArray<OptState> ChainStates(OptState state, int length)
    {
        var inner = state.Expect<ChainState>(nameof(Chain)).Inner;
        if (inner.Length != length)
            throw new ArgumentException(
                $"Chain of {length} transformations got a state of {inner.Length}: make the state with this chain's Init.", nameof(state));
        return inner;
    }
}
