using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Linen.Prng;

/// <summary>
/// JAX's <c>random_bits</c> in both counter layouts (spec §4.3), and the chunked, multi-core driver the samplers use:
/// each chunk of output is filled with bits and then transformed in place while it is still in cache.
/// </summary>
internal static class RandomBits
{
    /// <summary>Counts at or above this go multi-core.</summary>
    internal const int ParallelThreshold = 1 << 16;

    /// <summary>Elements per chunk: 64 KiB of words, so a chunk stays in L2 between the two passes.</summary>
    internal const int ChunkSize = 1 << 14;

    /// <summary>Transforms a chunk of raw bits in place; <c>offset</c> is the chunk's first element index.</summary>
    internal delegate void ChunkTransform(Span<uint> bits, int offset);

    /// <summary>Fills <paramref name="dest"/> with the 32-bit bits of <paramref name="key"/> and applies <paramref name="transform"/> to each chunk.</summary>
    internal static unsafe void Generate(PrngKey key, Span<uint> dest, ChunkTransform? transform)
    {
        int n = dest.Length;
        fixed (uint* p = dest)
        {
            nint addr = (nint)p;
            if (key.Mode == ThreefryMode.Partitionable)
            {
                ForChunks(n, (start, len) =>
                {
                    var chunk = new Span<uint>((uint*)addr + start, len);
                    Threefry2x32.HashIotaXor(key.K0, key.K1, 0u, (uint)start, chunk);
                    transform?.Invoke(chunk, start);
                });
            }
            else
            {
                // Legacy: pair j hashes counter (j, h + j); y0 goes to element j, y1 to element h + j.
                // For odd n the last pair's second counter is the padding zero and its y1 is dropped.
                int h = (n + 1) / 2;
                int full = n / 2;
                ForChunks(full, (start, len) =>
                {
                    var y0 = new Span<uint>((uint*)addr + start, len);
                    var y1 = new Span<uint>((uint*)addr + h + start, len);
                    Threefry2x32.HashIota(key.K0, key.K1, (uint)start, 1u, (uint)(h + start), y0, y1);
                });
                if (full != h)
                {
                    p[h - 1] = Threefry2x32.Hash(key.K0, key.K1, (uint)(h - 1), 0u).Item1;
                }

                if (transform is not null)
                {
                    ForChunks(n, (start, len) => transform(new Span<uint>((uint*)addr + start, len), start));
                }
            }
        }
    }

    /// <summary>Runs <paramref name="body"/> over <c>[0, n)</c> in chunks, on all cores when <paramref name="n"/> is large.</summary>
    internal static void ForChunks(int n, Action<int, int> body)
    {
        if (n < ParallelThreshold)
        {
            for (int s = 0; s < n; s += ChunkSize)
            {
                body(s, Math.Min(ChunkSize, n - s));
            }

            return;
        }

        int chunks = (int)(((long)n + ChunkSize - 1) / ChunkSize);
        Parallel.For(0, chunks, c =>
        {
            int s = c * ChunkSize;
            body(s, Math.Min(ChunkSize, n - s));
        });
    }

    /// <summary><c>threefry_2x32(key, iota(m))</c>: the legacy word stream of length <paramref name="m"/>.</summary>
    internal static uint[] LegacyWords(PrngKey key, long m)
    {
        var words = new uint[checked((int)m)];
        Generate(key with { Mode = ThreefryMode.Legacy }, words, null);
        return words;
    }

    /// <summary>32-bit bits of the given count.</summary>
    internal static uint[] Bits32(PrngKey key, int count)
    {
        var bits = GC.AllocateUninitializedArray<uint>(count);
        Generate(key, bits, null);
        return bits;
    }

    /// <summary>64-bit bits: partitionable <c>(b1 &lt;&lt; 32) | b2</c>; legacy high words from the first half of <c>2 count</c> words.</summary>
    internal static ulong[] Bits64(PrngKey key, int count)
    {
        var hi = new uint[count];
        var lo = new uint[count];
        if (key.Mode == ThreefryMode.Partitionable)
        {
            ForChunks(count, (s, len) => Threefry2x32.HashIota(key.K0, key.K1, 0u, 0u, (uint)s, hi.AsSpan(s, len), lo.AsSpan(s, len)));
        }
        else
        {
            // threefry_2x32(key, iota(2 count)): pair i is (i, count + i); y0 is the high word, y1 the low.
            ForChunks(count, (s, len) => Threefry2x32.HashIota(key.K0, key.K1, (uint)s, 1u, (uint)(count + s), hi.AsSpan(s, len), lo.AsSpan(s, len)));
        }

        var result = new ulong[count];
        for (int i = 0; i < count; i++)
        {
            result[i] = ((ulong)hi[i] << 32) | lo[i];
        }

        return result;
    }

    /// <summary>8- or 16-bit bits: partitionable truncates each 32-bit word; legacy unpacks words least-significant part first.</summary>
    internal static T[] BitsNarrow<T>(PrngKey key, int count)
        where T : unmanaged
    {
        int perWord = 4 / Marshal.SizeOf<T>();
        var result = new T[count];
        if (key.Mode == ThreefryMode.Partitionable)
        {
            // Little-endian: reading a word as T keeps its low bits, which is JAX's truncating convert.
            var words = Bits32(key, count);
            for (int i = 0; i < count; i++)
            {
                result[i] = Unsafe.As<uint, T>(ref words[i]);
            }
        }
        else
        {
            int m = (int)(((long)count + perWord - 1) / perWord);
            var words = LegacyWords(key, m);
            MemoryMarshal.Cast<uint, T>(words.AsSpan())[..count].CopyTo(result);
        }

        return result;
    }
}
