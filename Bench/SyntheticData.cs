using Linen.Functional;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Bench;

/// <summary>Random inputs and labels (data loading is not what the benchmark measures).</summary>
internal static class SyntheticData
{
    /// <summary>Standard-normal float32 inputs of <paramref name="shape"/> (batch first) and int64 labels in [0, classes).</summary>
    public static (Tensor Inputs, Tensor Labels) Batch(long seed, long[] shape, int classes)
    {
        var (inputsKey, labelsKey) = PrngKey.FromSeed(seed).Split();
        var labels = Sample.RandInt(labelsKey, (int)shape[0], 0, classes).Select(l => (long)l).ToArray();
        return (TensorSample.Normal(inputsKey, shape), tensor(labels, ScalarType.Int64));
    }

    /// <summary>
    /// NHWC images as the NCHW tensor a TorchSharp user feeds LibTorch: the permuted view, which keeps channels-last
    /// strides. That is the baseline's fastest layout on the CPU (row-major NCHW made LibTorch's convolutions up to 6x
    /// slower here), so the comparison is against the strongest hand-written version.
    /// </summary>
    public static Tensor ToNchw(Tensor nhwc) => nhwc.permute(0, 3, 1, 2);
}
