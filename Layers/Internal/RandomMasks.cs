using Linen.Functional;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Layers;

/// <summary>Random keep-masks for dropout, drawn with the JAX-exact samplers of <see cref="Sample"/>.</summary>
internal static class RandomMasks
{
    /// <summary>
    /// <c>jax.random.bernoulli(key, p, shape)</c> as a bool tensor on <paramref name="device"/>: <c>uniform &lt; p</c>
    /// with <paramref name="p"/> rounded to float32, as JAX does with a Python float.
    /// </summary>
    public static Tensor Bernoulli(PrngKey key, double p, long[] shape, Device device) =>
        TensorSample.Bernoulli(key, shape, (float)p, device);
}
