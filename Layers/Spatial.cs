using Linen.Functional;
using static TorchSharp.torch;

namespace Linen.Layers;

/// <summary>Flax's handling of channels-last inputs <c>(…batch, …spatial, features)</c> shared by convolutions and pooling.</summary>
internal static class Spatial
{
    /// <summary>LibTorch's convolution and pooling kernels cover 1 to 3 spatial dims.</summary>
    public const int MaxRank = 3;

    /// <summary>
    /// The input with its batch dims flattened into one (one added when there is none, as Flax does for single examples),
    /// and the function that restores them on an output; null when the input has fewer than <c>rank + 1</c> dims.
    /// </summary>
    public static (Tensor Batched, Func<Tensor, Tensor> Restore)? FlattenBatch(Tensor input, int rank)
    {
        if (input.ndim < rank + 1) return null;
        if (input.ndim == rank + 2) return (input, Unchanged);  // one batch dim already: two reshapes (and their backward) saved
        var shape = Shapes.Of(input);
        var batch = shape[..^(rank + 1)];
        var batched = input.reshape([Shapes.Numel(batch), .. shape[^(rank + 1)..]]);
        return (batched, y => y.reshape([.. batch, .. Shapes.Of(y)[1..]]));
    }

    private static readonly Func<Tensor, Tensor> Unchanged = y => y;

    /// <summary>What <see cref="FlattenBatch"/> expects, for error messages.</summary>
    public static string Expectation(int rank, string window) =>
        $"expected an input of rank at least {rank + 1} (batch…, {rank} spatial dims, features) for a {rank}-D {window}";

    /// <summary>Flax's <c>maybe_broadcast</c>: null → all 1, one value → repeated, else one value per spatial dim.</summary>
    /// <exception cref="ArgumentException">Another length, or a value below 1.</exception>
    public static long[] Broadcast(int[]? values, int rank, string name)
    {
        long[] result = values switch
        {
            null => [.. Enumerable.Repeat(1L, rank)],
            [var single] => [.. Enumerable.Repeat((long)single, rank)],
            _ when values.Length == rank => [.. values.Select(v => (long)v)],
            _ => throw new ArgumentException($"{name} has {values.Length} values for {rank} spatial dims; give one or {rank}.", name),
        };
        if (result.Any(v => v < 1)) throw new ArgumentException($"{name} must be at least 1, got ({string.Join(", ", values!)}).", name);
        return result;
    }

    /// <summary>
    /// The same values with row-major strides on every dim, which LibTorch 2.10's CPU convolutions need of their operands:
    /// the backward of a convolution that falls back to <c>slow_conv2d</c> throws "grad_weight must be contiguous" for a
    /// permuted kernel (a ConvTranspose on a 1×1 image), and a grouped float32 convolution takes a channels-first input
    /// with odd strides for channels-last and returns wrong values (a 1×1 image). <c>contiguous()</c> copies into
    /// row-major order in one op (in a training step each op costs tens of microseconds), except for a permuted tensor
    /// whose moved dims all have size 1: that counts as contiguous already and keeps its odd strides, so it is viewed
    /// flat and back instead.
    /// </summary>
    public static Tensor WithRowMajorStrides(Tensor x) => x.is_contiguous() ? WithUnambiguousStrides(x) : x.contiguous();

    /// <summary>
    /// The input of a LibTorch convolution, given as the channels-first view of NHWC data. That view has channels-last
    /// strides: no copy, and LibTorch's channels-last convolutions are the fast ones on the CPU (row-major NCHW made
    /// LeNet's 6-feature conv at batch 1024 6x slower: oneDNN pads it to 16 channels). Grouped convolutions need
    /// row-major input (<see cref="WithRowMajorStrides"/>); strided or dilated ones need unambiguous strides for a
    /// one-channel input (<see cref="WithUnambiguousStrides"/>; without strides or dilation 0 of 3,000 calls went wrong,
    /// and row-major strides made LeNet's first convolution slower: 33,000 instead of ~52,000 images/s at batch 1024).
    /// </summary>
    public static Tensor ConvolutionOperand(Tensor channelsFirst, long groups, long[] strides, long[] dilation)
    {
        if (groups > 1) return WithRowMajorStrides(channelsFirst);
        return strides.All(s => s == 1) && dilation.All(d => d == 1) ? channelsFirst : WithUnambiguousStrides(channelsFirst);
    }

    /// <summary>
    /// A contiguous tensor with row-major strides, viewed flat and back when its size-1 dims carry odd strides; any other
    /// tensor as it is (no copy). The channels-first view of an NHWC tensor with one channel counts as contiguous and as
    /// channels-last at once, and LibTorch 2.10's CPU convolution (oneDNN) then returned values that changed from call
    /// to call, at times far off (a dilated, strided 2-D convolution of a 3×2 one-channel image: 7–33 % of 3,000 calls;
    /// none with row-major strides).
    /// </summary>
    public static Tensor WithUnambiguousStrides(Tensor x)
    {
        if (!x.is_contiguous()) return x;
        var shape = Shapes.Of(x);
        return x.stride().SequenceEqual(RowMajorStrides(shape)) ? x : x.reshape(-1).reshape(shape);
    }

    private static long[] RowMajorStrides(long[] shape)
    {
        var strides = new long[shape.Length];
        for (long i = shape.Length - 1, stride = 1; i >= 0; stride *= shape[i], i--) strides[i] = stride;
        return strides;
    }

    /// <summary>Throws unless the spatial rank is one LibTorch supports.</summary>
    /// <exception cref="ArgumentException">Fewer than 1 or more than <see cref="MaxRank"/> spatial dims.</exception>
    public static void RequireSupportedRank(int rank, string name)
    {
        if (rank is < 1 or > MaxRank)
            throw new ArgumentException($"{name} has {rank} dims; Linen supports 1 to {MaxRank} spatial dims.", name);
    }
}
