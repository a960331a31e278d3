namespace Linen.Functional;

/// <summary>How a convolution or pooling pads its spatial dims.</summary>
public enum PaddingKind
{
    /// <summary>Output size <c>ceil(in/stride)</c>; the odd pad goes after (JAX <c>padtype_to_pads</c>).</summary>
    Same,
    /// <summary>No padding.</summary>
    Valid,
    /// <summary>Periodic: the input is wrap-padded by <c>((k_eff-1)/2, k_eff/2)</c>, then no padding.</summary>
    Circular,
    /// <summary>Mirror across the border without repeating it (<c>jnp.pad(mode='reflect')</c>), then no padding.</summary>
    Reflect,
    /// <summary>1-D only: <c>dilation·(k-1)</c> zeros before, none after, so output <c>t</c> sees inputs ≤ <c>t</c>.</summary>
    Causal,
    /// <summary>Explicit <c>(lo, hi)</c> zero pads per spatial dim (one pair for all dims when given a single int).</summary>
    Explicit,
}

/// <summary>
/// Flax's <c>padding</c> argument: <c>"SAME"</c>, <c>"VALID"</c>, <c>"CIRCULAR"</c>, <c>"REFLECT"</c>, <c>"CAUSAL"</c>,
/// a single int <c>p</c> (meaning <c>(p, p)</c> in every dim) or one <c>(lo, hi)</c> pair per spatial dim.
/// Strings, ints and pair arrays convert implicitly, so <c>Padding = "VALID"</c>, <c>Padding = 1</c> and
/// <c>Padding = new[] { (1, 2), (0, 0) }</c> all read as in Flax.
/// </summary>
public sealed class Padding
{
    private readonly (long Lo, long Hi)[] _pairs;

    private Padding(PaddingKind kind, (long, long)[] pairs) => (Kind, _pairs) = (kind, pairs);

    /// <summary>Which rule this padding follows.</summary>
    public PaddingKind Kind { get; }

    /// <summary><c>'SAME'</c> (Conv's default).</summary>
    public static Padding Same { get; } = new(PaddingKind.Same, []);

    /// <summary><c>'VALID'</c> (pooling's default).</summary>
    public static Padding Valid { get; } = new(PaddingKind.Valid, []);

    /// <summary><c>'CIRCULAR'</c>.</summary>
    public static Padding Circular { get; } = new(PaddingKind.Circular, []);

    /// <summary><c>'REFLECT'</c>.</summary>
    public static Padding Reflect { get; } = new(PaddingKind.Reflect, []);

    /// <summary><c>'CAUSAL'</c> (1-D convolutions).</summary>
    public static Padding Causal { get; } = new(PaddingKind.Causal, []);

    /// <summary>One <c>(lo, hi)</c> pair per spatial dim, applied as given.</summary>
    public static Padding Explicit(params (long Lo, long Hi)[] pairs) => new(PaddingKind.Explicit, [.. pairs]);

    /// <summary>Pads <paramref name="amount"/> before and after in every spatial dim.</summary>
    public static Padding All(long amount) => new(PaddingKind.Explicit, [(amount, amount)]);

    /// <summary>Parses Flax's padding strings (upper case, as Flax spells them).</summary>
    /// <exception cref="ArgumentException">Another string.</exception>
    public static implicit operator Padding(string name) => name switch
    {
        "SAME" => Same,
        "VALID" => Valid,
        "CIRCULAR" => Circular,
        "REFLECT" => Reflect,
        "CAUSAL" => Causal,
        _ => throw new ArgumentException(
            $"Unknown padding '{name}': use \"SAME\", \"VALID\", \"CIRCULAR\", \"REFLECT\", \"CAUSAL\", an int or (lo, hi) pairs.", nameof(name)),
    };

    /// <summary><c>(p, p)</c> in every spatial dim.</summary>
    public static implicit operator Padding(int amount) => All(amount);

    /// <summary>One <c>(lo, hi)</c> pair per spatial dim.</summary>
    public static implicit operator Padding((int Lo, int Hi)[] pairs) => Explicit([.. pairs.Select(p => ((long)p.Lo, (long)p.Hi))]);

    /// <summary>The explicit pairs for <paramref name="rank"/> spatial dims (a single-int padding repeats its pair).</summary>
    /// <exception cref="ArgumentException">Not explicit, or the number of pairs differs from <paramref name="rank"/>.</exception>
    public (long Lo, long Hi)[] PairsFor(int rank)
    {
        if (Kind != PaddingKind.Explicit) throw new ArgumentException($"Padding {this} has no explicit pairs.");
        if (_pairs.Length == 1 && rank != 1) return [.. Enumerable.Repeat(_pairs[0], rank)];
        if (_pairs.Length != rank)
            throw new ArgumentException($"Padding {this} gives {_pairs.Length} (lo, hi) pairs for {rank} spatial dims; give one pair per dim.");
        return [.. _pairs];
    }

    /// <summary>As Flax writes it: <c>SAME</c>, or <c>((1, 1), (0, 2))</c>.</summary>
    public override string ToString() => Kind == PaddingKind.Explicit
        ? "(" + string.Join(", ", _pairs.Select(p => $"({p.Lo}, {p.Hi})")) + ")"
        : Kind.ToString().ToUpperInvariant();
}
