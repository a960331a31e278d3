using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Linen.Prng;

/// <summary>The AVX-512 kernels: the same rounds on 16 lanes, with the single-instruction rotate.</summary>
public static partial class Threefry2x32
{
    /// <summary>The 512-bit loop of <see cref="HashIota"/>; returns how many elements it wrote.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int HashIota512(uint k0, uint k1, uint x0Start, uint x0Step, uint x1Start, Span<uint> y0, Span<uint> y1)
    {
        unchecked
        {
            const int W = 16;
            int n = y0.Length, i = 0;
            var ks = new Keys512(k0, k1);
            var iota = Vector512.Create(0u, 1u, 2u, 3u, 4u, 5u, 6u, 7u, 8u, 9u, 10u, 11u, 12u, 13u, 14u, 15u);
            var c0 = Vector512.Create(x0Start) + (iota * x0Step);
            var c1 = Vector512.Create(x1Start) + iota;
            var step0 = Vector512.Create(x0Step * W);
            var step1 = Vector512.Create((uint)W);
            for (; i <= n - (2 * W); i += 2 * W)
            {
                var a0 = c0; var a1 = c1;
                var b0 = c0 + step0; var b1 = c1 + step1;
                Block2(ref a0, ref a1, ref b0, ref b1, in ks);
                a0.CopyTo(y0.Slice(i)); b0.CopyTo(y0.Slice(i + W));
                a1.CopyTo(y1.Slice(i)); b1.CopyTo(y1.Slice(i + W));
                c0 += step0 + step0; c1 += step1 + step1;
            }

            return i;
        }
    }

    /// <summary>The 512-bit loop of <see cref="HashIotaXor"/>; returns how many elements it wrote.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int HashIotaXor512(uint k0, uint k1, uint x0, uint x1Start, Span<uint> dest)
    {
        unchecked
        {
            const int W = 16;
            int n = dest.Length, i = 0;
            var ks = new Keys512(k0, k1);
            var c0 = Vector512.Create(x0);
            var c1 = Vector512.Create(x1Start) + Vector512.Create(0u, 1u, 2u, 3u, 4u, 5u, 6u, 7u, 8u, 9u, 10u, 11u, 12u, 13u, 14u, 15u);
            var step = Vector512.Create((uint)W);
            for (; i <= n - (2 * W); i += 2 * W)
            {
                var a0 = c0; var a1 = c1;
                var b0 = c0; var b1 = c1 + step;
                Block2(ref a0, ref a1, ref b0, ref b1, in ks);
                (a0 ^ a1).CopyTo(dest.Slice(i));
                (b0 ^ b1).CopyTo(dest.Slice(i + W));
                c1 += step + step;
            }

            return i;
        }
    }

    /// <summary>The key schedule broadcast to vectors: the three key words and the five second-word injections.</summary>
    private readonly struct Keys512
    {
        public readonly Vector512<uint> K0, K1, K2, I1, I2, I3, I4, I5;

        public Keys512(uint k0, uint k1)
        {
            unchecked
            {
                uint k2 = k0 ^ k1 ^ Parity;
                K0 = Vector512.Create(k0); K1 = Vector512.Create(k1); K2 = Vector512.Create(k2);
                I1 = Vector512.Create(k2 + 1); I2 = Vector512.Create(k0 + 2); I3 = Vector512.Create(k1 + 3);
                I4 = Vector512.Create(k2 + 4); I5 = Vector512.Create(k0 + 5);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> Rotl(Vector512<uint> v, [System.Diagnostics.CodeAnalysis.ConstantExpected] byte r)
    {
        return Avx512F.RotateLeft(v, r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void R(ref Vector512<uint> x0, ref Vector512<uint> x1, [System.Diagnostics.CodeAnalysis.ConstantExpected] byte r)
    {
        x0 += x1;
        x1 = Rotl(x1, r) ^ x0;
    }

    /// <summary>Two independent blocks interleaved round by round, so the CPU overlaps their dependency chains.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block2(ref Vector512<uint> a0, ref Vector512<uint> a1, ref Vector512<uint> b0, ref Vector512<uint> b1, in Keys512 k)
    {
        a0 += k.K0; a1 += k.K1; b0 += k.K0; b1 += k.K1;
        Group2A(ref a0, ref a1, ref b0, ref b1); Inject2(ref a0, ref a1, ref b0, ref b1, k.K1, k.I1);
        Group2B(ref a0, ref a1, ref b0, ref b1); Inject2(ref a0, ref a1, ref b0, ref b1, k.K2, k.I2);
        Group2A(ref a0, ref a1, ref b0, ref b1); Inject2(ref a0, ref a1, ref b0, ref b1, k.K0, k.I3);
        Group2B(ref a0, ref a1, ref b0, ref b1); Inject2(ref a0, ref a1, ref b0, ref b1, k.K1, k.I4);
        Group2A(ref a0, ref a1, ref b0, ref b1); Inject2(ref a0, ref a1, ref b0, ref b1, k.K2, k.I5);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Inject2(ref Vector512<uint> a0, ref Vector512<uint> a1, ref Vector512<uint> b0, ref Vector512<uint> b1, Vector512<uint> i0, Vector512<uint> i1)
    {
        a0 += i0; a1 += i1; b0 += i0; b1 += i1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Group2A(ref Vector512<uint> a0, ref Vector512<uint> a1, ref Vector512<uint> b0, ref Vector512<uint> b1)
    {
        R(ref a0, ref a1, 13); R(ref b0, ref b1, 13);
        R(ref a0, ref a1, 15); R(ref b0, ref b1, 15);
        R(ref a0, ref a1, 26); R(ref b0, ref b1, 26);
        R(ref a0, ref a1, 6); R(ref b0, ref b1, 6);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Group2B(ref Vector512<uint> a0, ref Vector512<uint> a1, ref Vector512<uint> b0, ref Vector512<uint> b1)
    {
        R(ref a0, ref a1, 17); R(ref b0, ref b1, 17);
        R(ref a0, ref a1, 29); R(ref b0, ref b1, 29);
        R(ref a0, ref a1, 16); R(ref b0, ref b1, 16);
        R(ref a0, ref a1, 24); R(ref b0, ref b1, 24);
    }
}
