using TorchSharp;
using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>
/// Arithmetic with numbers that keeps each <see cref="Scalar"/> alive for its whole native call.
/// </summary>
/// <remarks>
/// TorchSharp 0.107 turns every number handed to an operation (<c>t * 0.5</c>, <c>t.clamp(0, 1)</c>) — and,
/// inside <c>a + b</c>, <c>t.add(u)</c> and <c>t.square()</c>, a hidden <c>alpha = 1</c> or exponent — into a
/// finalizable <see cref="Scalar"/> that nothing references once LibTorch has its handle. A garbage collection
/// started by another thread can then free it mid-call and crash the process (upstream dotnet/TorchSharp#1434).
/// The repository's analyzer (LINEN001) rejects those forms; these helpers are their safe spellings.
/// </remarks>
public static class Scalars
{
    /// <summary>0 (int64; LibTorch casts it to the tensor's type).</summary>
    public static readonly Scalar Zero = 0L.ToScalar();

    /// <summary>1 (int64), e.g. the <c>alpha</c> of <c>add</c>.</summary>
    public static readonly Scalar One = 1L.ToScalar();

    /// <summary>2 (int64), e.g. the exponent of a square.</summary>
    public static readonly Scalar Two = 2L.ToScalar();

    /// <summary><c>a + b</c>.</summary>
    public static Tensor Add(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary><c>a += b</c> in place; returns <paramref name="a"/>.</summary>
    public static Tensor AddInPlace(this Tensor a, Tensor b) => a.add_(b, One);

    /// <summary><c>t + value</c>.</summary>
    public static Tensor Add(this Tensor t, double value) => With(t, value, static (t, s) => t.add(s, One));

    /// <summary><c>t += value</c> in place; returns <paramref name="t"/>.</summary>
    public static Tensor AddInPlace(this Tensor t, double value) => With(t, value, static (t, s) => t.add_(s, One));

    /// <summary><c>t + value</c> with an integer, so an integer tensor keeps its type (a double would promote it).</summary>
    public static Tensor Add(this Tensor t, long value) => With(t, value, static (t, s) => t.add(s, One));

    /// <summary><c>t − value</c>.</summary>
    public static Tensor Sub(this Tensor t, double value) => With(t, value, static (t, s) => t.sub(s));

    /// <summary><c>t − value</c> with an integer, so an integer tensor keeps its type.</summary>
    public static Tensor Sub(this Tensor t, long value) => With(t, value, static (t, s) => t.sub(s));

    /// <summary><c>value − t</c>.</summary>
    public static Tensor SubFrom(this Tensor t, double value) => With(t, value, static (t, s) => t.neg().add_(s, One));

    /// <summary><c>t · value</c>.</summary>
    public static Tensor Mul(this Tensor t, double value) => With(t, value, static (t, s) => t.mul(s));

    /// <summary><c>t / value</c>.</summary>
    public static Tensor Div(this Tensor t, double value) => With(t, value, static (t, s) => t.div(s));

    /// <summary><c>t²</c>, as <c>Tensor.square</c> computes it.</summary>
    public static Tensor Square(this Tensor t) => t.pow(Two);

    /// <summary><c>t</c> clamped to <c>[min, max]</c>; a null bound is open.</summary>
    public static Tensor Clamp(this Tensor t, double? min = null, double? max = null)
    {
        using var lo = min?.ToScalar();
        using var hi = max?.ToScalar();
        return t.clamp(lo, hi);
    }

    /// <summary>A tensor shaped like <paramref name="t"/> filled with <paramref name="value"/>.</summary>
    public static Tensor FullLike(this Tensor t, double value) => With(t, value, static (t, s) => full_like(t, s));

    /// <summary><c>t</c> with <paramref name="value"/> where <paramref name="mask"/> is true.</summary>
    public static Tensor MaskedFill(this Tensor t, Tensor mask, double value)
    {
        using var s = value.ToScalar();
        return t.masked_fill(mask, s);
    }

    /// <summary>Element-wise <c>t &lt; value</c>.</summary>
    public static Tensor Lt(this Tensor t, double value) => With(t, value, static (t, s) => t.lt(s));

    /// <summary>Element-wise <c>t &gt; value</c>.</summary>
    public static Tensor Gt(this Tensor t, double value) => With(t, value, static (t, s) => t.gt(s));

    /// <summary>Element-wise <c>t == value</c>.</summary>
    public static Tensor Eq(this Tensor t, double value) => With(t, value, static (t, s) => t.eq(s));

    /// <summary>Runs <paramref name="op"/> with <paramref name="value"/> as a Scalar that the <c>using</c> keeps alive until the native call has returned.</summary>
    private static Tensor With(Tensor t, double value, Func<Tensor, Scalar, Tensor> op)
    {
        using var scalar = value.ToScalar();
        return op(t, scalar);
    }

    /// <summary>As <see cref="With(Tensor, double, Func{Tensor, Scalar, Tensor})"/> with an integer Scalar.</summary>
    private static Tensor With(Tensor t, long value, Func<Tensor, Scalar, Tensor> op)
    {
        using var scalar = value.ToScalar();
        return op(t, scalar);
    }
}
