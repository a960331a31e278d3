using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Linen.Prng;

/// <summary>
/// The float32 special functions behind the samplers, modelled on XLA:CPU (spec §8): <c>ErfInv</c> as StableHLO's
/// <c>erfInv32</c> with fused Horner steps, <c>Erf</c> as XLA's <c>ErfImpl32</c>, and <c>log</c>/<c>log1p</c>
/// rounded from a double-precision logarithm.
/// </summary>
/// <remarks>
/// The double logarithm is our own fixed sequence of IEEE operations (no FMA), evaluated the same way by the scalar
/// and the vector code, so both paths give the same bits. It is accurate to a few double ulps, which makes the
/// float result the correctly rounded one except in rare ties (about one in 10^8).
/// </remarks>
internal static class SpecialMath
{
    /// <summary><c>(float)sqrt(2)</c> = 0x3FB504F3.</summary>
    internal const float Sqrt2 = 1.41421354f;

    internal const double Ln2Hi = 6.93147180369123816490e-01; // low 32 bits zero: e * Ln2Hi is exact
    internal const double Ln2Lo = 1.90821492927058770002e-10;
    private const ulong MantMask = 0x000FFFFFFFFFFFFFUL;
    private const ulong Sqrt2Mant = 0x0006A09E667F3BCDUL; // mantissa bits of sqrt(2)

    /// <summary>Coefficients of 2 atanh(s)/(2s) - 1 = z/3 + z^2/5 + ..., highest first (z = s^2, |s| &lt; 0.1716).</summary>
    internal static readonly double[] AtanhCoeffs =
    [
        1.0 / 23, 1.0 / 21, 1.0 / 19, 1.0 / 17, 1.0 / 15, 1.0 / 13, 1.0 / 11, 1.0 / 9, 1.0 / 7, 1.0 / 5, 1.0 / 3,
    ];

    internal static readonly float[] Lt5 =
    [
        2.81022636e-08f, 3.43273939e-07f, -3.5233877e-06f, -4.39150654e-06f, 0.00021858087f,
        -0.00125372503f, -0.00417768164f, 0.246640727f, 1.50140941f,
    ];

    internal static readonly float[] Ge5 =
    [
        -0.000200214257f, 0.000100950558f, 0.00134934322f, -0.00367342844f, 0.00573950773f,
        -0.0076224613f, 0.00943887047f, 1.00167406f, 2.83297682f,
    ];

    private static readonly float[] ErfP =
    [
        0.00022905065861350646f, 0.0034082910107109506f, 0.050955695062380861f, 0.18520832239976145f, 1.128379143519084f,
    ];

    private static readonly float[] ErfQ =
    [
        -1.1791602954361697e-7f, 0.000023547966471313185f, 0.0010179625278914885f, 0.014070470171167667f,
        0.11098505178285362f, 0.49746925110067538f, 1.0f,
    ];

    /// <summary>Natural log of a positive, normal, finite double; our deterministic implementation.</summary>
    internal static double Log(double y)
    {
        ulong bits = BitConverter.DoubleToUInt64Bits(y);
        ulong mant = bits & MantMask;
        long e = (long)(bits >> 52) - 1023;
        ulong mbits = mant | 0x3FF0000000000000UL;
        if (mant > Sqrt2Mant)
        {
            mbits = mant | 0x3FE0000000000000UL; // m in [sqrt(2)/2, 1)
            e += 1;
        }

        double f = BitConverter.UInt64BitsToDouble(mbits) - 1.0; // exact (Sterbenz)
        double s = f / (2.0 + f);
        double z = s * s;
        double p = AtanhCoeffs[0];
        for (int i = 1; i < AtanhCoeffs.Length; i++)
        {
            p = (p * z) + AtanhCoeffs[i];
        }

        double hs = s + s;
        double logm = hs + (hs * (z * p));
        double de = e;
        return (de * Ln2Hi) + ((de * Ln2Lo) + logm);
    }

    /// <summary>Vector form of <see cref="Log(double)"/>; lane for lane the same operations.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> Log(Vector256<double> y)
    {
        var bits = y.AsUInt64();
        var mant = bits & Vector256.Create(MantMask);
        var ebiased = Vector256.ShiftRightLogical(bits, 52);
        var big = Vector256.GreaterThan(mant.AsInt64(), Vector256.Create((long)Sqrt2Mant)).AsUInt64();
        var mbits = mant | Vector256.ConditionalSelect(big, Vector256.Create(0x3FE0000000000000UL), Vector256.Create(0x3FF0000000000000UL));
        ebiased -= big; // big lanes are all ones (-1): ebiased + 1

        // Exact int -> double for 0 <= ebiased < 2^52 without AVX-512DQ: 2^52 + n, then subtract 2^52.
        var magic = Vector256.Create(4503599627370496.0);
        var de = (ebiased | magic.AsUInt64()).AsDouble() - magic - Vector256.Create(1023.0);

        var f = mbits.AsDouble() - Vector256.Create(1.0);
        var s = f / (Vector256.Create(2.0) + f);
        var z = s * s;
        var p = Vector256.Create(AtanhCoeffs[0]);
        for (int i = 1; i < AtanhCoeffs.Length; i++)
        {
            p = (p * z) + Vector256.Create(AtanhCoeffs[i]);
        }

        var hs = s + s;
        var logm = hs + (hs * (z * p));
        return (de * Vector256.Create(Ln2Hi)) + ((de * Vector256.Create(Ln2Lo)) + logm);
    }

    /// <summary>float32 <c>log</c>: the double log rounded once; <c>log(0) = -inf</c>.</summary>
    internal static float LogF(float x) => x == 0f ? float.NegativeInfinity : (float)Log(x);

    /// <summary>float32 <c>log1p</c> for <c>t</c> in (-1, 0]: exact <c>1 + t</c> in double, then the double log, rounded.</summary>
    internal static float Log1pF(float t)
    {
        // For |t| < 2^-29, 1 + t is not exact in double and log1p(t) rounds to t anyway.
        if (MathF.Abs(t) < 1.86264515e-09f)
        {
            return t;
        }

        return t == -1f ? float.NegativeInfinity : (float)Log(1.0 + t);
    }

    /// <summary>StableHLO's <c>erfInv32</c> in the XLA:CPU profile (fused Horner steps).</summary>
    internal static float ErfInv(float x)
    {
        if (MathF.Abs(x) == 1f)
        {
            return x * float.PositiveInfinity;
        }

        float w = -Log1pF(x * -x);
        bool lt = w < 5f;
        float ww = lt ? w - 2.5f : MathF.Sqrt(w) - 3f;
        var c = lt ? Lt5 : Ge5;
        float p = c[0];
        for (int i = 1; i < c.Length; i++)
        {
            p = MathF.FusedMultiplyAdd(p, ww, c[i]);
        }

        return p * x;
    }

    /// <summary>Vector form of <see cref="ErfInv(float)"/>; lane for lane the same operations.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> ErfInv(Vector256<float> x)
    {
        var t = x * -x;
        var lo = Vector256.Narrow(Log(Vector256.Create(1.0) + Vector256.WidenLower(t)), Log(Vector256.Create(1.0) + Vector256.WidenUpper(t)));
        var tiny = Vector256.LessThan(Vector256.Abs(t), Vector256.Create(1.86264515e-09f));
        var w = -Vector256.ConditionalSelect(tiny, t, lo);
        var lt = Vector256.LessThan(w, Vector256.Create(5f));
        var ww = Vector256.ConditionalSelect(lt, w - Vector256.Create(2.5f), Vector256.Sqrt(w) - Vector256.Create(3f));
        var p = Vector256.ConditionalSelect(lt, Vector256.Create(Lt5[0]), Vector256.Create(Ge5[0]));
        for (int i = 1; i < Lt5.Length; i++)
        {
            p = Fma256(p, ww, Vector256.ConditionalSelect(lt, Vector256.Create(Lt5[i]), Vector256.Create(Ge5[i])));
        }

        var r = p * x;
        var one = Vector256.Equals(Vector256.Abs(x), Vector256.Create(1f));
        return Vector256.ConditionalSelect(one, x * Vector256.Create(float.PositiveInfinity), r);
    }

    /// <summary>Fused multiply-add on 8 lanes: the FMA3 instruction when present, else the (slower, equally exact) portable form.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Fma256(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : Vector256.FusedMultiplyAdd(a, b, c);

    /// <summary>XLA's float32 <c>erf</c> (<c>ErfImpl32</c>): a clamped rational <c>x P(x^2) / Q(x^2)</c> with fused Horner steps.</summary>
    internal static float Erf(float x)
    {
        const float clamp = 3.7439211627767994f;
        x = Math.Clamp(x, -clamp, clamp);
        float x2 = x * x;
        float p = ErfP[0];
        for (int i = 1; i < ErfP.Length; i++)
        {
            p = MathF.FusedMultiplyAdd(p, x2, ErfP[i]);
        }

        float q = ErfQ[0];
        for (int i = 1; i < ErfQ.Length; i++)
        {
            q = MathF.FusedMultiplyAdd(q, x2, ErfQ[i]);
        }

        return x * p / q;
    }
}
