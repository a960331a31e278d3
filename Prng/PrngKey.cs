namespace Linen.Prng;

/// <summary>
/// A threefry2x32 key: the two <c>uint32</c> words of JAX's <c>jax.random.key_data(key)</c>, plus the counter
/// layout that <see cref="Split(int)"/> and the samplers use. Immutable; splitting never changes a key.
/// </summary>
/// <param name="K0">The first key word.</param>
/// <param name="K1">The second key word.</param>
/// <param name="Mode">The counter layout; partitionable is JAX's default since 0.5.0.</param>
public readonly record struct PrngKey(uint K0, uint K1, ThreefryMode Mode = ThreefryMode.Partitionable)
{
    /// <summary>
    /// The key <c>jax.random.key(seed)</c> makes with x64 disabled (JAX's default): <c>[0, seed mod 2^32]</c>.
    /// Seeds outside the int32 range wrap modulo 2^32, as JAX does outside <c>jit</c>.
    /// </summary>
    /// <param name="seed">The integer seed.</param>
    /// <param name="mode">The counter layout of the new key.</param>
    /// <returns>The key <c>[0, (uint)seed]</c>.</returns>
    public static PrngKey FromSeed(long seed, ThreefryMode mode = ThreefryMode.Partitionable) =>
        new(0u, unchecked((uint)seed), mode);

    /// <summary>The key JAX makes with <c>jax_enable_x64</c>: <c>[seed &gt;&gt;&gt; 32, seed &amp; 0xFFFFFFFF]</c> of the int64 seed.</summary>
    internal static PrngKey FromSeedX64(long seed, ThreefryMode mode = ThreefryMode.Partitionable) =>
        new(unchecked((uint)((ulong)seed >> 32)), unchecked((uint)seed), mode);

    /// <summary>Splits this key into <paramref name="num"/> new keys, as <c>jax.random.split(key, num)</c>.</summary>
    /// <param name="num">How many keys to make; at least 1.</param>
    /// <returns>The new keys, in JAX's order; each has this key's <see cref="Mode"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="num"/> is less than 1.</exception>
    public PrngKey[] Split(int num)
    {
        if (num < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(num), num, $"Split needs num >= 1 keys, but num = {num}.");
        }

        var keys = new PrngKey[num];
        if (Mode == ThreefryMode.Partitionable)
        {
            // Key i is threefry(key, (hi(i), lo(i))) with both output words; hi(i) = 0 for an int count.
            for (int i = 0; i < num; i++)
            {
                var (a, b) = Threefry2x32.Hash(K0, K1, 0u, (uint)i);
                keys[i] = new PrngKey(a, b, Mode);
            }
        }
        else
        {
            // threefry_2x32(key, iota(2 num)) read as (num, 2): word 2i and 2i+1 form key i.
            var words = RandomBits.LegacyWords(this, 2 * (long)num);
            for (int i = 0; i < num; i++)
            {
                keys[i] = new PrngKey(words[2 * i], words[(2 * i) + 1], Mode);
            }
        }

        return keys;
    }

    /// <summary>Splits this key in two, as <c>jax.random.split(key)</c>.</summary>
    /// <returns>The two keys <c>split(key)[0]</c> and <c>split(key)[1]</c>.</returns>
    public (PrngKey First, PrngKey Second) Split()
    {
        var keys = Split(2);
        return (keys[0], keys[1]);
    }

    /// <summary>Folds data into this key, as <c>jax.random.fold_in(key, data)</c>: <c>threefry(key, (0, data))</c> in both modes.</summary>
    /// <param name="data">The 32-bit value to fold in.</param>
    /// <returns>The new key, with this key's <see cref="Mode"/>.</returns>
    public PrngKey FoldIn(uint data)
    {
        var (a, b) = Threefry2x32.Hash(K0, K1, 0u, data);
        return new PrngKey(a, b, Mode);
    }

    /// <summary>The key words as JAX prints key data, e.g. <c>PrngKey[1428664606, 3351135085]</c>; legacy keys add <c>, Legacy</c>.</summary>
    /// <returns>The text form of this key.</returns>
    public override string ToString() =>
        Mode == ThreefryMode.Partitionable ? $"PrngKey[{K0}, {K1}]" : $"PrngKey[{K0}, {K1}, {Mode}]";
}
