using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Linen.Prng;

/// <summary>
/// The Threefry-2x32 block function with 20 rounds (Random123's <c>threefry2x32_20</c>), as JAX's
/// <c>threefry2x32_p</c> computes it. All arithmetic is on <c>uint</c> and wraps.
/// </summary>
public static partial class Threefry2x32
{
    private const uint Parity = 0x1BD11BDA;

    /// <summary>Hashes one counter pair under one key.</summary>
    /// <param name="k0">First key word.</param>
    /// <param name="k1">Second key word.</param>
    /// <param name="x0">First counter word.</param>
    /// <param name="x1">Second counter word.</param>
    /// <returns>The two output words.</returns>
    public static (uint, uint) Hash(uint k0, uint k1, uint x0, uint x1)
    {
        unchecked
        {
            uint k2 = k0 ^ k1 ^ Parity;
            x0 += k0; x1 += k1;
            RoundsA(ref x0, ref x1); x0 += k1; x1 += k2 + 1;
            RoundsB(ref x0, ref x1); x0 += k2; x1 += k0 + 2;
            RoundsA(ref x0, ref x1); x0 += k0; x1 += k1 + 3;
            RoundsB(ref x0, ref x1); x0 += k1; x1 += k2 + 4;
            RoundsA(ref x0, ref x1); x0 += k2; x1 += k0 + 5;
            return (x0, x1);
        }
    }

    /// <summary>
    /// Hashes many counter pairs under one key: <c>(y0[i], y1[i]) = Hash(k0, k1, x0[i], x1[i])</c>.
    /// Vectorised; the outputs may alias the inputs element for element.
    /// </summary>
    /// <param name="k0">First key word.</param>
    /// <param name="k1">Second key word.</param>
    /// <param name="x0">First counter words.</param>
    /// <param name="x1">Second counter words; same length as <paramref name="x0"/>.</param>
    /// <param name="y0">Receives the first output words; same length.</param>
    /// <param name="y1">Receives the second output words; same length.</param>
    /// <exception cref="ArgumentException">The four spans differ in length.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: skip tier-0, whose un-inlined vector code is 10x slower
    public static void Hash(uint k0, uint k1, ReadOnlySpan<uint> x0, ReadOnlySpan<uint> x1, Span<uint> y0, Span<uint> y1)
    {
        int n = x0.Length;
        if (x1.Length != n || y0.Length != n || y1.Length != n)
        {
            throw new ArgumentException(
                $"x0, x1, y0 and y1 must have one length, but have {x0.Length}, {x1.Length}, {y0.Length} and {y1.Length}.",
                nameof(x1));
        }

        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var ks = new Keys256(k0, k1);
            for (; i <= n - Vector256<uint>.Count; i += Vector256<uint>.Count)
            {
                var a0 = Vector256.Create(x0.Slice(i, Vector256<uint>.Count));
                var a1 = Vector256.Create(x1.Slice(i, Vector256<uint>.Count));
                Block(ref a0, ref a1, in ks);
                a0.CopyTo(y0.Slice(i));
                a1.CopyTo(y1.Slice(i));
            }
        }

        for (; i < n; i++)
        {
            (y0[i], y1[i]) = Hash(k0, k1, x0[i], x1[i]);
        }
    }

    /// <summary>
    /// JAX's array form <c>threefry_2x32(key, count)</c>: pads an odd-length input with one zero, pairs the first
    /// half with the second half, concatenates all first output words and then all second output words, and drops
    /// the padding word.
    /// </summary>
    /// <param name="k0">First key word.</param>
    /// <param name="k1">Second key word.</param>
    /// <param name="counts">The counter words.</param>
    /// <returns>As many output words as <paramref name="counts"/> has.</returns>
    public static uint[] HashArray(uint k0, uint k1, ReadOnlySpan<uint> counts)
    {
        int n = counts.Length;
        int h = (n + 1) / 2;
        var padded = new uint[2 * h];
        counts.CopyTo(padded);
        var y = new uint[2 * h];
        Hash(k0, k1, padded.AsSpan(0, h), padded.AsSpan(h, h), y.AsSpan(0, h), y.AsSpan(h, h));
        return n == 2 * h ? y : y[..n];
    }

    /// <summary>
    /// Hashes the counters <c>(x0Start + j * x0Step, x1Start + j)</c> for <c>j</c> in <c>[0, y0.Length)</c>.
    /// The partitionable layout uses step 0 (counter high word fixed); the legacy layout uses step 1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: skip tier-0, whose un-inlined vector code is 10x slower
    internal static void HashIota(uint k0, uint k1, uint x0Start, uint x0Step, uint x1Start, Span<uint> y0, Span<uint> y1)
    {
        unchecked
        {
            int n = y0.Length;
            int i = Vector512.IsHardwareAccelerated ? HashIota512(k0, k1, x0Start, x0Step, x1Start, y0, y1) : 0;
            if (Vector256.IsHardwareAccelerated)
            {
                const int W = 8;
                var ks = new Keys256(k0, k1);
                var iota = Vector256.Create(0u, 1u, 2u, 3u, 4u, 5u, 6u, 7u);
                var c0 = Vector256.Create(x0Start + ((uint)i * x0Step)) + (iota * x0Step);
                var c1 = Vector256.Create(x1Start + (uint)i) + iota;
                var step0 = Vector256.Create(x0Step * W);
                var step1 = Vector256.Create((uint)W);
                for (; i <= n - (2 * W); i += 2 * W)
                {
                    var a0 = c0; var a1 = c1;
                    var b0 = c0 + step0; var b1 = c1 + step1;
                    Block2(ref a0, ref a1, ref b0, ref b1, in ks);
                    a0.CopyTo(y0.Slice(i)); b0.CopyTo(y0.Slice(i + W));
                    a1.CopyTo(y1.Slice(i)); b1.CopyTo(y1.Slice(i + W));
                    c0 += step0 + step0; c1 += step1 + step1;
                }
            }

            for (; i < n; i++)
            {
                (y0[i], y1[i]) = Hash(k0, k1, x0Start + ((uint)i * x0Step), x1Start + (uint)i);
            }
        }
    }

    /// <summary>Writes <c>y0 ^ y1</c> of the counters <c>(x0, x1Start + j)</c> to <c>dest[j]</c>: partitionable 32-bit bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: skip tier-0, whose un-inlined vector code is 10x slower
    internal static void HashIotaXor(uint k0, uint k1, uint x0, uint x1Start, Span<uint> dest)
    {
        unchecked
        {
            int n = dest.Length;
            int i = Vector512.IsHardwareAccelerated ? HashIotaXor512(k0, k1, x0, x1Start, dest) : 0;
            if (Vector256.IsHardwareAccelerated)
            {
                const int W = 8;
                var ks = new Keys256(k0, k1);
                var c0 = Vector256.Create(x0);
                var c1 = Vector256.Create(x1Start + (uint)i) + Vector256.Create(0u, 1u, 2u, 3u, 4u, 5u, 6u, 7u);
                var step = Vector256.Create((uint)W);
                for (; i <= n - (2 * W); i += 2 * W)
                {
                    var a0 = c0; var a1 = c1;
                    var b0 = c0; var b1 = c1 + step;
                    Block2(ref a0, ref a1, ref b0, ref b1, in ks);
                    (a0 ^ a1).CopyTo(dest.Slice(i));
                    (b0 ^ b1).CopyTo(dest.Slice(i + W));
                    c1 += step + step;
                }
            }

            for (; i < n; i++)
            {
                var (a, b) = Hash(k0, k1, x0, x1Start + (uint)i);
                dest[i] = a ^ b;
            }
        }
    }

    /// <summary>The plain scalar loop of <see cref="HashIotaXor"/>, kept as the benchmark's baseline and a test oracle.</summary>
    internal static void HashIotaXorScalar(uint k0, uint k1, uint x0, uint x1Start, Span<uint> dest)
    {
        for (int i = 0; i < dest.Length; i++)
        {
            var (a, b) = Hash(k0, k1, x0, unchecked(x1Start + (uint)i));
            dest[i] = a ^ b;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RoundsA(ref uint x0, ref uint x1)
    {
        unchecked
        {
            x0 += x1; x1 = uint.RotateLeft(x1, 13) ^ x0;
            x0 += x1; x1 = uint.RotateLeft(x1, 15) ^ x0;
            x0 += x1; x1 = uint.RotateLeft(x1, 26) ^ x0;
            x0 += x1; x1 = uint.RotateLeft(x1, 6) ^ x0;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RoundsB(ref uint x0, ref uint x1)
    {
        unchecked
        {
            x0 += x1; x1 = uint.RotateLeft(x1, 17) ^ x0;
            x0 += x1; x1 = uint.RotateLeft(x1, 29) ^ x0;
            x0 += x1; x1 = uint.RotateLeft(x1, 16) ^ x0;
            x0 += x1; x1 = uint.RotateLeft(x1, 24) ^ x0;
        }
    }

    /// <summary>The key schedule broadcast to vectors: the three key words and the five second-word injections.</summary>
    private readonly struct Keys256
    {
        public readonly Vector256<uint> K0, K1, K2, I1, I2, I3, I4, I5;

        public Keys256(uint k0, uint k1)
        {
            unchecked
            {
                uint k2 = k0 ^ k1 ^ Parity;
                K0 = Vector256.Create(k0); K1 = Vector256.Create(k1); K2 = Vector256.Create(k2);
                I1 = Vector256.Create(k2 + 1); I2 = Vector256.Create(k0 + 2); I3 = Vector256.Create(k1 + 3);
                I4 = Vector256.Create(k2 + 4); I5 = Vector256.Create(k0 + 5);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Rotl(Vector256<uint> v, [System.Diagnostics.CodeAnalysis.ConstantExpected] byte r)
    {
        if (Avx512F.VL.IsSupported)
        {
            return Avx512F.VL.RotateLeft(v, r);
        }

        return Vector256.ShiftLeft(v, r) | Vector256.ShiftRightLogical(v, 32 - r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void R(ref Vector256<uint> x0, ref Vector256<uint> x1, [System.Diagnostics.CodeAnalysis.ConstantExpected] byte r)
    {
        x0 += x1;
        x1 = Rotl(x1, r) ^ x0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block(ref Vector256<uint> x0, ref Vector256<uint> x1, in Keys256 k)
    {
        x0 += k.K0; x1 += k.K1;
        R(ref x0, ref x1, 13); R(ref x0, ref x1, 15); R(ref x0, ref x1, 26); R(ref x0, ref x1, 6);
        x0 += k.K1; x1 += k.I1;
        R(ref x0, ref x1, 17); R(ref x0, ref x1, 29); R(ref x0, ref x1, 16); R(ref x0, ref x1, 24);
        x0 += k.K2; x1 += k.I2;
        R(ref x0, ref x1, 13); R(ref x0, ref x1, 15); R(ref x0, ref x1, 26); R(ref x0, ref x1, 6);
        x0 += k.K0; x1 += k.I3;
        R(ref x0, ref x1, 17); R(ref x0, ref x1, 29); R(ref x0, ref x1, 16); R(ref x0, ref x1, 24);
        x0 += k.K1; x1 += k.I4;
        R(ref x0, ref x1, 13); R(ref x0, ref x1, 15); R(ref x0, ref x1, 26); R(ref x0, ref x1, 6);
        x0 += k.K2; x1 += k.I5;
    }

    /// <summary>Two independent blocks interleaved round by round, so the CPU overlaps their dependency chains.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block2(ref Vector256<uint> a0, ref Vector256<uint> a1, ref Vector256<uint> b0, ref Vector256<uint> b1, in Keys256 k)
    {
        a0 += k.K0; a1 += k.K1; b0 += k.K0; b1 += k.K1;
        Group2A(ref a0, ref a1, ref b0, ref b1); Inject2(ref a0, ref a1, ref b0, ref b1, k.K1, k.I1);
        Group2B(ref a0, ref a1, ref b0, ref b1); Inject2(ref a0, ref a1, ref b0, ref b1, k.K2, k.I2);
        Group2A(ref a0, ref a1, ref b0, ref b1); Inject2(ref a0, ref a1, ref b0, ref b1, k.K0, k.I3);
        Group2B(ref a0, ref a1, ref b0, ref b1); Inject2(ref a0, ref a1, ref b0, ref b1, k.K1, k.I4);
        Group2A(ref a0, ref a1, ref b0, ref b1); Inject2(ref a0, ref a1, ref b0, ref b1, k.K2, k.I5);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Inject2(ref Vector256<uint> a0, ref Vector256<uint> a1, ref Vector256<uint> b0, ref Vector256<uint> b1, Vector256<uint> i0, Vector256<uint> i1)
    {
        a0 += i0; a1 += i1; b0 += i0; b1 += i1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Group2A(ref Vector256<uint> a0, ref Vector256<uint> a1, ref Vector256<uint> b0, ref Vector256<uint> b1)
    {
        R(ref a0, ref a1, 13); R(ref b0, ref b1, 13);
        R(ref a0, ref a1, 15); R(ref b0, ref b1, 15);
        R(ref a0, ref a1, 26); R(ref b0, ref b1, 26);
        R(ref a0, ref a1, 6); R(ref b0, ref b1, 6);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Group2B(ref Vector256<uint> a0, ref Vector256<uint> a1, ref Vector256<uint> b0, ref Vector256<uint> b1)
    {
        R(ref a0, ref a1, 17); R(ref b0, ref b1, 17);
        R(ref a0, ref a1, 29); R(ref b0, ref b1, 29);
        R(ref a0, ref a1, 16); R(ref b0, ref b1, 16);
        R(ref a0, ref a1, 24); R(ref b0, ref b1, 24);
    }
}
