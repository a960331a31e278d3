using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Linen.Prng;

/// <summary>
/// The samplers of <c>jax.random</c> in float32/int32, key first. Each returns a flat row-major array; the
/// <c>long[] shape</c> overloads draw <c>prod(shape)</c> values exactly as JAX draws an array of that shape.
/// The key's <see cref="PrngKey.Mode"/> picks the counter layout. Integer samplers and <see cref="Uniform(PrngKey, int, float, float)"/>
/// are bit-exact to JAX; <see cref="Normal(PrngKey, int)"/>, <see cref="TruncatedNormal(PrngKey, int, float, float)"/> and
/// <see cref="Gumbel(PrngKey, int)"/> follow XLA:CPU's float32 arithmetic to within a few ulp (spec §8).
/// </summary>
public static class Sample
{
    internal static readonly float NormalLow = BitConverter.UInt32BitsToSingle(0xBF7FFFFF); // nextafter(-1, 0)

    /// <summary>Random 32-bit words, as <c>jax.random.bits(key, (count,), uint32)</c>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="count">How many words; at least 0.</param>
    /// <returns>The words.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public static uint[] Bits(PrngKey key, int count)
    {
        ShapeArguments.CheckCount(count, nameof(count));
        return RandomBits.Bits32(key, count);
    }

    /// <summary>Random 32-bit words of a shape, as <c>jax.random.bits(key, shape, uint32)</c>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="shape">The row-major shape; no negative dimensions.</param>
    /// <returns>The words, row-major.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shape"/> has a negative dimension or too many elements.</exception>
    public static uint[] Bits(PrngKey key, long[] shape) => RandomBits.Bits32(key, ShapeArguments.Count(shape, nameof(shape)));

    /// <summary>Random bytes, as <c>jax.random.bits(key, (count,), uint8)</c>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="count">How many values; at least 0.</param>
    /// <returns>The values.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public static byte[] Bits8(PrngKey key, int count)
    {
        ShapeArguments.CheckCount(count, nameof(count));
        return RandomBits.BitsNarrow<byte>(key, count);
    }

    /// <summary>Random bytes of a shape, as <c>jax.random.bits(key, shape, uint8)</c>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="shape">The row-major shape; no negative dimensions.</param>
    /// <returns>The values, row-major.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shape"/> has a negative dimension or too many elements.</exception>
    public static byte[] Bits8(PrngKey key, long[] shape) => RandomBits.BitsNarrow<byte>(key, ShapeArguments.Count(shape, nameof(shape)));

    /// <summary>Random 16-bit values, as <c>jax.random.bits(key, (count,), uint16)</c>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="count">How many values; at least 0.</param>
    /// <returns>The values.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public static ushort[] Bits16(PrngKey key, int count)
    {
        ShapeArguments.CheckCount(count, nameof(count));
        return RandomBits.BitsNarrow<ushort>(key, count);
    }

    /// <summary>Random 16-bit values of a shape, as <c>jax.random.bits(key, shape, uint16)</c>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="shape">The row-major shape; no negative dimensions.</param>
    /// <returns>The values, row-major.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shape"/> has a negative dimension or too many elements.</exception>
    public static ushort[] Bits16(PrngKey key, long[] shape) => RandomBits.BitsNarrow<ushort>(key, ShapeArguments.Count(shape, nameof(shape)));

    /// <summary>Random 64-bit values, as <c>jax.random.bits(key, (count,), uint64)</c> with x64 enabled.</summary>
    /// <param name="key">The key.</param>
    /// <param name="count">How many values; at least 0.</param>
    /// <returns>The values.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public static ulong[] Bits64(PrngKey key, int count)
    {
        ShapeArguments.CheckCount(count, nameof(count));
        return RandomBits.Bits64(key, count);
    }

    /// <summary>Random 64-bit values of a shape, as <c>jax.random.bits(key, shape, uint64)</c> with x64 enabled.</summary>
    /// <param name="key">The key.</param>
    /// <param name="shape">The row-major shape; no negative dimensions.</param>
    /// <returns>The values, row-major.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shape"/> has a negative dimension or too many elements.</exception>
    public static ulong[] Bits64(PrngKey key, long[] shape) => RandomBits.Bits64(key, ShapeArguments.Count(shape, nameof(shape)));

    /// <summary>Uniform float32 values in <c>[minval, maxval)</c>, as <c>jax.random.uniform</c>; bit-exact, with XLA:CPU's fused <c>f * (maxval - minval) + minval</c>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="count">How many values; at least 0.</param>
    /// <param name="minval">Inclusive lower bound.</param>
    /// <param name="maxval">Exclusive upper bound; greater than <paramref name="minval"/>.</param>
    /// <returns>The values.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative, or <paramref name="minval"/> is not below <paramref name="maxval"/>.</exception>
    public static float[] Uniform(PrngKey key, int count, float minval = 0f, float maxval = 1f)
    {
        ShapeArguments.CheckCount(count, nameof(count));
        CheckRange(minval, maxval);
        return UniformCore(key, count, minval, maxval);
    }

    /// <summary>Uniform float32 values of a shape in <c>[minval, maxval)</c>, as <c>jax.random.uniform(key, shape, minval=, maxval=)</c>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="shape">The row-major shape; no negative dimensions.</param>
    /// <param name="minval">Inclusive lower bound.</param>
    /// <param name="maxval">Exclusive upper bound; greater than <paramref name="minval"/>.</param>
    /// <returns>The values, row-major.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shape"/> is invalid, or <paramref name="minval"/> is not below <paramref name="maxval"/>.</exception>
    public static float[] Uniform(PrngKey key, long[] shape, float minval = 0f, float maxval = 1f) =>
        Uniform(key, ShapeArguments.Count(shape, nameof(shape)), minval, maxval);

    /// <summary>Standard normal float32 values, as <c>jax.random.normal</c>: <c>sqrt(2) erfinv(u)</c>, <c>u</c> uniform in <c>(-1, 1)</c>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="count">How many values; at least 0.</param>
    /// <returns>The values.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public static float[] Normal(PrngKey key, int count)
    {
        ShapeArguments.CheckCount(count, nameof(count));
        return ErfInvSampler(key, count, NormalLow, 1f, float.NegativeInfinity, float.PositiveInfinity);
    }

    /// <summary>Standard normal float32 values of a shape, as <c>jax.random.normal(key, shape)</c>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="shape">The row-major shape; no negative dimensions.</param>
    /// <returns>The values, row-major.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shape"/> has a negative dimension or too many elements.</exception>
    public static float[] Normal(PrngKey key, long[] shape) => Normal(key, ShapeArguments.Count(shape, nameof(shape)));

    /// <summary>Normal values truncated to <c>(lower, upper)</c>, as <c>jax.random.truncated_normal</c>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="count">How many values; at least 0.</param>
    /// <param name="lower">Lower truncation bound.</param>
    /// <param name="upper">Upper truncation bound; greater than <paramref name="lower"/>.</param>
    /// <returns>The values, each strictly inside <c>(lower, upper)</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative, or <paramref name="lower"/> is not below <paramref name="upper"/>.</exception>
    public static float[] TruncatedNormal(PrngKey key, int count, float lower, float upper)
    {
        ShapeArguments.CheckCount(count, nameof(count));
        if (!(lower < upper))
        {
            throw new ArgumentOutOfRangeException(
                nameof(lower), lower, $"TruncatedNormal needs lower < upper, but lower = {lower} and upper = {upper}.");
        }

        float a = SpecialMath.Erf(lower / SpecialMath.Sqrt2);
        float b = SpecialMath.Erf(upper / SpecialMath.Sqrt2);
        return ErfInvSampler(
            key, count, a, b, MathF.BitIncrement(lower), MathF.BitDecrement(upper));
    }

    /// <summary>Truncated normal values of a shape, as <c>jax.random.truncated_normal(key, lower, upper, shape)</c>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="shape">The row-major shape; no negative dimensions.</param>
    /// <param name="lower">Lower truncation bound.</param>
    /// <param name="upper">Upper truncation bound; greater than <paramref name="lower"/>.</param>
    /// <returns>The values, row-major.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shape"/> is invalid, or <paramref name="lower"/> is not below <paramref name="upper"/>.</exception>
    public static float[] TruncatedNormal(PrngKey key, long[] shape, float lower, float upper) =>
        TruncatedNormal(key, ShapeArguments.Count(shape, nameof(shape)), lower, upper);

    /// <summary>Bernoulli draws, as <c>jax.random.bernoulli(key, p)</c>: <c>uniform(key) &lt; p</c>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="count">How many values; at least 0.</param>
    /// <param name="p">Probability of <c>true</c>, in <c>[0, 1]</c>.</param>
    /// <returns>The draws.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or <paramref name="p"/> is outside <c>[0, 1]</c>.</exception>
    public static bool[] Bernoulli(PrngKey key, int count, float p = 0.5f)
    {
        ShapeArguments.CheckCount(count, nameof(count));
        if (!(p >= 0f && p <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, $"Bernoulli needs p in [0, 1], but p = {p}.");
        }

        var u = UniformCore(key, count, 0f, 1f);
        var result = new bool[count];
        for (int i = 0; i < count; i++)
        {
            result[i] = u[i] < p;
        }

        return result;
    }

    /// <summary>Bernoulli draws of a shape, as <c>jax.random.bernoulli(key, p, shape)</c>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="shape">The row-major shape; no negative dimensions.</param>
    /// <param name="p">Probability of <c>true</c>, in <c>[0, 1]</c>.</param>
    /// <returns>The draws, row-major.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shape"/> is invalid or <paramref name="p"/> is outside <c>[0, 1]</c>.</exception>
    public static bool[] Bernoulli(PrngKey key, long[] shape, float p = 0.5f) => Bernoulli(key, ShapeArguments.Count(shape, nameof(shape)), p);

    /// <summary>
    /// Integers in <c>[minval, maxval)</c>, as <c>jax.random.randint</c> with int32: two split keys give high and low
    /// words, combined with JAX's multiplier (which wraps to 0 for spans above 2^16; copied, not fixed).
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="count">How many values; at least 0.</param>
    /// <param name="minval">Inclusive lower bound.</param>
    /// <param name="maxval">Exclusive upper bound; greater than <paramref name="minval"/>.</param>
    /// <returns>The values.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or <paramref name="minval"/> is not below <paramref name="maxval"/>.</exception>
    public static int[] RandInt(PrngKey key, int count, int minval, int maxval)
    {
        ShapeArguments.CheckCount(count, nameof(count));
        if (minval >= maxval)
        {
            throw new ArgumentOutOfRangeException(
                nameof(minval), minval, $"RandInt needs minval < maxval, but minval = {minval} and maxval = {maxval}.");
        }

        unchecked
        {
            var (k1, k2) = key.Split();
            var hi = RandomBits.Bits32(k1, count);
            var lo = RandomBits.Bits32(k2, count);
            uint span = (uint)(maxval - minval);
            uint mult = 65536u % span;
            mult = mult * mult % span;
            var result = new int[count];
            for (int i = 0; i < count; i++)
            {
                uint off = ((hi[i] % span) * mult) + (lo[i] % span);
                result[i] = minval + (int)(off % span);
            }

            return result;
        }
    }

    /// <summary>Integers of a shape in <c>[minval, maxval)</c>, as <c>jax.random.randint(key, shape, minval, maxval)</c>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="shape">The row-major shape; no negative dimensions.</param>
    /// <param name="minval">Inclusive lower bound.</param>
    /// <param name="maxval">Exclusive upper bound; greater than <paramref name="minval"/>.</param>
    /// <returns>The values, row-major.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shape"/> is invalid or <paramref name="minval"/> is not below <paramref name="maxval"/>.</exception>
    public static int[] RandInt(PrngKey key, long[] shape, int minval, int maxval) =>
        RandInt(key, ShapeArguments.Count(shape, nameof(shape)), minval, maxval);

    /// <summary>int64 <c>randint</c> under x64 (<c>nbits = 64</c>): the vector <c>randint_int64_seed0</c> needs it.</summary>
    internal static long[] RandInt64(PrngKey key, int count, long minval, long maxval)
    {
        unchecked
        {
            var (k1, k2) = key.Split();
            var hi = RandomBits.Bits64(k1, count);
            var lo = RandomBits.Bits64(k2, count);
            ulong span = (ulong)(maxval - minval);
            ulong mult = (1UL << 32) % span;
            mult = mult * mult % span;
            var result = new long[count];
            for (int i = 0; i < count; i++)
            {
                ulong off = ((hi[i] % span) * mult) + (lo[i] % span);
                result[i] = minval + (long)(off % span);
            }

            return result;
        }
    }

    /// <summary>A random permutation of <c>0 .. n-1</c>, as <c>jax.random.permutation(key, n)</c> (sort-based shuffle).</summary>
    /// <param name="key">The key.</param>
    /// <param name="n">How many elements; at least 0.</param>
    /// <returns>The permutation.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is negative.</exception>
    public static int[] Permutation(PrngKey key, int n)
    {
        ShapeArguments.CheckCount(n, nameof(n));
        var items = new int[n];
        for (int i = 0; i < n; i++)
        {
            items[i] = i;
        }

        return ShuffleCore(key, items);
    }

    /// <summary>The items in random order, as <c>jax.random.permutation(key, items)</c> of a 1-D array.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="items">The items; not changed.</param>
    /// <returns>A new array with the items shuffled.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="items"/> is null.</exception>
    public static T[] Shuffle<T>(PrngKey key, T[] items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return ShuffleCore(key, (T[])items.Clone());
    }

    /// <summary>
    /// Indices drawn from <c>0 .. n-1</c>, as <c>jax.random.choice(key, n, (count,), replace)</c> with <c>p=None</c>:
    /// <c>randint</c> with replacement, the first <paramref name="count"/> of a permutation without.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="count">How many indices; at least 0, and at most <paramref name="n"/> without replacement.</param>
    /// <param name="n">Size of the population; at least 1 when anything is drawn.</param>
    /// <param name="replace">Whether an index may repeat.</param>
    /// <returns>The indices.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count or size is out of range.</exception>
    public static int[] Choice(PrngKey key, int count, int n, bool replace = true)
    {
        ShapeArguments.CheckCount(count, nameof(count));
        if (n < 0 || (n == 0 && count > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, $"Choice needs n >= 1 to draw {count} values, but n = {n}.");
        }

        if (replace)
        {
            return count == 0 ? [] : RandInt(key, count, 0, n);
        }

        if (count > n)
        {
            throw new ArgumentOutOfRangeException(
                nameof(count), count, $"Choice without replacement cannot draw count = {count} from n = {n}.");
        }

        return Permutation(key, n)[..count];
    }

    /// <summary>Indices of a shape, as <c>jax.random.choice(key, n, shape, replace)</c> with <c>p=None</c>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="shape">The row-major shape; no negative dimensions.</param>
    /// <param name="n">Size of the population.</param>
    /// <param name="replace">Whether an index may repeat.</param>
    /// <returns>The indices, row-major.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The shape or a size is out of range.</exception>
    public static int[] Choice(PrngKey key, long[] shape, int n, bool replace = true) =>
        Choice(key, ShapeArguments.Count(shape, nameof(shape)), n, replace);

    /// <summary>
    /// One class per row, as <c>jax.random.categorical(key, logits, axis=-1)</c>: <c>argmax(gumbel + logits)</c>, ties to the first index.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="logits">Unnormalised log-probabilities, row-major <c>(batch, numClasses)</c>.</param>
    /// <param name="numClasses">Length of the last axis; at least 1 and dividing <c>logits.Length</c>.</param>
    /// <returns>One class index per row.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="logits"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numClasses"/> is below 1 or does not divide the logits.</exception>
    public static int[] Categorical(PrngKey key, float[] logits, int numClasses)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (numClasses < 1 || logits.Length % numClasses != 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(numClasses), numClasses, $"Categorical needs numClasses >= 1 dividing logits.Length = {logits.Length}, but numClasses = {numClasses}.");
        }

        var g = GumbelCore(key, logits.Length);
        int batch = logits.Length / numClasses;
        var result = new int[batch];
        for (int r = 0; r < batch; r++)
        {
            int best = 0;
            float bestValue = float.NegativeInfinity;
            for (int c = 0; c < numClasses; c++)
            {
                int i = (r * numClasses) + c;
                float v = g[i] + logits[i];
                if (c == 0 || v > bestValue || (float.IsNaN(v) && !float.IsNaN(bestValue)))
                {
                    best = c;
                    bestValue = v;
                }
            }

            result[r] = best;
        }

        return result;
    }

    /// <summary>Standard Gumbel values, as <c>jax.random.gumbel</c> (mode 'low'): <c>-log(-log(uniform(tiny, 1)))</c>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="count">How many values; at least 0.</param>
    /// <returns>The values.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public static float[] Gumbel(PrngKey key, int count)
    {
        ShapeArguments.CheckCount(count, nameof(count));
        return GumbelCore(key, count);
    }

    /// <summary>Standard Gumbel values of a shape, as <c>jax.random.gumbel(key, shape)</c>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="shape">The row-major shape; no negative dimensions.</param>
    /// <returns>The values, row-major.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shape"/> has a negative dimension or too many elements.</exception>
    public static float[] Gumbel(PrngKey key, long[] shape) => Gumbel(key, ShapeArguments.Count(shape, nameof(shape)));

    /// <summary>One uniform value from its 32 random bits: <c>max(lo, fma(f, range, lo))</c>, <c>f</c> in <c>[0, 1)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float UniformOf(uint bits, float lo, float range)
    {
        float f = BitConverter.UInt32BitsToSingle((bits >> 9) | 0x3F800000u) - 1f;
        return MathF.Max(lo, MathF.FusedMultiplyAdd(f, range, lo));
    }

    /// <summary>One truncated-normal-style value from its bits: <c>clip(sqrt2 erfinv(uniform), lo, hi)</c>.</summary>
    internal static float ErfInvOf(uint bits, float a, float range, float clipLo, float clipHi)
    {
        float z = SpecialMath.Sqrt2 * SpecialMath.ErfInv(UniformOf(bits, a, range));
        return MathF.Min(clipHi, MathF.Max(clipLo, z));
    }

    /// <summary>The plain scalar loop for normals (one thread, no vectors): the benchmark's baseline and a test oracle.</summary>
    internal static float[] NormalScalar(PrngKey key, int count)
    {
        var bits = RandomBits.Bits32(key, count);
        var result = new float[count];
        float range = 1f - NormalLow;
        for (int i = 0; i < count; i++)
        {
            result[i] = ErfInvOf(bits[i], NormalLow, range, float.NegativeInfinity, float.PositiveInfinity);
        }

        return result;
    }

    /// <summary>The plain scalar loop for uniforms: a test oracle.</summary>
    internal static float[] UniformScalar(PrngKey key, int count, float minval, float maxval)
    {
        var bits = RandomBits.Bits32(key, count);
        var result = new float[count];
        for (int i = 0; i < count; i++)
        {
            result[i] = UniformOf(bits[i], minval, maxval - minval);
        }

        return result;
    }

    private static void CheckRange(float minval, float maxval)
    {
        if (!(minval < maxval))
        {
            throw new ArgumentOutOfRangeException(
                nameof(minval), minval, $"Uniform needs minval < maxval, but minval = {minval} and maxval = {maxval}.");
        }
    }

    private static float[] UniformCore(PrngKey key, int count, float lo, float hi)
    {
        var result = GC.AllocateUninitializedArray<float>(count);
        UniformInto(key, result, lo, hi);
        return result;
    }

    /// <summary>Uniform values into a caller's buffer.</summary>
    internal static void UniformInto(PrngKey key, Span<float> dest, float lo, float hi)
    {
        float range = hi - lo;
        RandomBits.Generate(key, MemoryMarshal.Cast<float, uint>(dest), [MethodImpl(MethodImplOptions.AggressiveOptimization)] (bits, _) =>
        {
            int i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                var vlo = Vector256.Create(lo);
                var vrange = Vector256.Create(range);
                for (; i <= bits.Length - Vector256<uint>.Count; i += Vector256<uint>.Count)
                {
                    var v = Vector256.Create(bits.Slice(i, Vector256<uint>.Count));
                    UniformOf(v, vlo, vrange).AsUInt32().CopyTo(bits.Slice(i));
                }
            }

            for (; i < bits.Length; i++)
            {
                bits[i] = BitConverter.SingleToUInt32Bits(UniformOf(bits[i], lo, range));
            }
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> UniformOf(Vector256<uint> bits, Vector256<float> lo, Vector256<float> range)
    {
        var f = (Vector256.ShiftRightLogical(bits, 9) | Vector256.Create(0x3F800000u)).AsSingle() - Vector256.Create(1f);
        return Vector256.Max(lo, SpecialMath.Fma256(f, range, lo));
    }

    /// <summary>Uniform in <c>[a, b)</c>, then <c>sqrt2 erfinv</c>, then clip: normal and truncated normal share it.</summary>
    private static float[] ErfInvSampler(PrngKey key, int count, float a, float b, float clipLo, float clipHi)
    {
        var result = GC.AllocateUninitializedArray<float>(count);
        ErfInvSamplerInto(key, result, a, b, clipLo, clipHi);
        return result;
    }

    /// <summary>Standard normals into a caller's buffer (the benchmark measures this without allocation).</summary>
    internal static void NormalInto(PrngKey key, Span<float> dest) =>
        ErfInvSamplerInto(key, dest, NormalLow, 1f, float.NegativeInfinity, float.PositiveInfinity);

    /// <summary>The plain scalar loop for normals into a caller's buffer: one thread, no vectors.</summary>
    internal static void NormalScalarInto(PrngKey key, Span<float> dest)
    {
        float range = 1f - NormalLow;
        for (int i = 0; i < dest.Length; i++)
        {
            var (y0, y1) = Threefry2x32.Hash(key.K0, key.K1, 0u, (uint)i);
            dest[i] = ErfInvOf(y0 ^ y1, NormalLow, range, float.NegativeInfinity, float.PositiveInfinity);
        }
    }

    private static void ErfInvSamplerInto(PrngKey key, Span<float> dest, float a, float b, float clipLo, float clipHi)
    {
        float range = b - a;
        RandomBits.Generate(key, MemoryMarshal.Cast<float, uint>(dest), [MethodImpl(MethodImplOptions.AggressiveOptimization)] (bits, _) =>
        {
            int i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                var va = Vector256.Create(a);
                var vrange = Vector256.Create(range);
                var vlo = Vector256.Create(clipLo);
                var vhi = Vector256.Create(clipHi);
                var sqrt2 = Vector256.Create(SpecialMath.Sqrt2);
                for (; i <= bits.Length - Vector256<uint>.Count; i += Vector256<uint>.Count)
                {
                    var u = UniformOf(Vector256.Create(bits.Slice(i, Vector256<uint>.Count)), va, vrange);
                    var z = sqrt2 * SpecialMath.ErfInv(u);
                    Vector256.Min(vhi, Vector256.Max(vlo, z)).AsUInt32().CopyTo(bits.Slice(i));
                }
            }

            for (; i < bits.Length; i++)
            {
                bits[i] = BitConverter.SingleToUInt32Bits(ErfInvOf(bits[i], a, range, clipLo, clipHi));
            }
        });
    }

    private static float[] GumbelCore(PrngKey key, int count)
    {
        // uniform(tiny, 1): range = 1 - tiny rounds to 1, so u = f for f > 0 and u = tiny for f = 0.
        const float tiny = 1.17549435e-38f;
        var result = GC.AllocateUninitializedArray<float>(count);
        RandomBits.Generate(key, MemoryMarshal.Cast<float, uint>(result.AsSpan()), [MethodImpl(MethodImplOptions.AggressiveOptimization)] (bits, _) =>
        {
            for (int i = 0; i < bits.Length; i++)
            {
                float u = UniformOf(bits[i], tiny, 1f - tiny);
                bits[i] = BitConverter.SingleToUInt32Bits(-SpecialMath.LogF(-SpecialMath.LogF(u)));
            }
        });
        return result;
    }

    private static T[] ShuffleCore<T>(PrngKey key, T[] items)
    {
        int n = items.Length;
        int rounds = (int)Math.Ceiling(3 * Math.Log(Math.Max(1, n)) / Math.Log(uint.MaxValue));
        var order = new ulong[n];
        var scratch = new T[n];
        for (int r = 0; r < rounds; r++)
        {
            (key, var sub) = key.Split();
            var sortKeys = RandomBits.Bits32(sub, n);

            // A stable sort by key: ties keep their order because the position breaks them.
            for (int i = 0; i < n; i++)
            {
                order[i] = ((ulong)sortKeys[i] << 32) | (uint)i;
            }

            Array.Sort(order);
            for (int i = 0; i < n; i++)
            {
                scratch[i] = items[(int)(uint)order[i]];
            }

            (items, scratch) = (scratch, items);
        }

        return items;
    }
}
