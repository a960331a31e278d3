namespace Linen.Prng;

/// <summary>Which counter layout <c>split</c> and <c>random_bits</c> use (JAX's <c>jax_threefry_partitionable</c> flag).</summary>
public enum ThreefryMode
{
    /// <summary>The JAX default since 0.5.0: element <c>i</c> hashes the counter <c>(hi(i), lo(i))</c>.</summary>
    Partitionable,

    /// <summary>The original layout (JAX before 0.5.0, MLX): one <c>threefry_2x32</c> call over an iota, first half paired with second half.</summary>
    Legacy,
}
