using System.Collections.Immutable;
using Linen.Prng;

namespace Linen.Functional;

/// <summary>
/// The root keys of the named RNG streams (<c>params</c>, <c>dropout</c>, …) given to
/// <c>Init</c>/<c>Apply</c>. A single key means <c>{"params": key}</c>, as in Flax.
/// </summary>
public sealed record Rngs
{
    /// <summary>No streams.</summary>
    public static readonly Rngs None = new();

    /// <summary>The streams by name.</summary>
    public ImmutableSortedDictionary<string, PrngKey> Streams { get; init; } = ImmutableSortedDictionary<string, PrngKey>.Empty;

    /// <summary>
    /// Flax's <c>flax_fix_rng_separator</c>: feed a zero byte before each path element when hashing, so
    /// that paths <c>("ab", "c")</c> and <c>("a", "bc")</c> get different keys. Off by default, as in Flax.
    /// </summary>
    public bool FixRngSeparator { get; init; }

    /// <summary>The stream set <c>{"params": key}</c>.</summary>
    public static Rngs Of(PrngKey key) => None.With("params", key);

    /// <summary>A stream set with the given streams.</summary>
    public static Rngs Of(params (string Stream, PrngKey Key)[] streams) =>
        streams.Aggregate(None, (r, s) => r.With(s.Stream, s.Key));

    /// <summary>This set with <paramref name="stream"/> set to <paramref name="key"/>.</summary>
    public Rngs With(string stream, PrngKey key) => this with { Streams = Streams.SetItem(stream, key) };

    /// <summary>A single key is the <c>params</c> stream.</summary>
    public static implicit operator Rngs(PrngKey key) => Of(key);
}
