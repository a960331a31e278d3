using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>
/// The one place where Flax's layouts meet LibTorch's: channels-last activations (<c>NWC</c>, <c>NHWC</c>,
/// <c>NDHWC</c>) against channels-first (<c>NCHW</c>), Flax kernels <c>(…k, in, out)</c> (HWIO) against
/// LibTorch's <c>(out, in, …k)</c> (OIHW), and Flax's padding rules as explicit <c>(lo, hi)</c> pairs.
/// Padding helpers take channels-first tensors, whose trailing dims are the spatial ones.
/// </summary>
internal static class Layout
{
    /// <summary><c>(N, …spatial, C)</c> → <c>(N, C, …spatial)</c>.</summary>
    public static Tensor ToChannelsFirst(Tensor x) =>
        x.permute([0, x.ndim - 1, .. Enumerable.Range(1, (int)x.ndim - 2).Select(d => (long)d)]);

    /// <summary><c>(N, C, …spatial)</c> → <c>(N, …spatial, C)</c>.</summary>
    public static Tensor ToChannelsLast(Tensor x) =>
        x.permute([0, .. Enumerable.Range(2, (int)x.ndim - 2).Select(d => (long)d), 1]);

    /// <summary>A Flax kernel <c>(…k, in, out)</c> (HWIO) as LibTorch's <c>(out, in, …k)</c> (OIHW).</summary>
    public static Tensor KernelToTorch(Tensor kernel) =>
        kernel.permute([kernel.ndim - 1, kernel.ndim - 2, .. Enumerable.Range(0, (int)kernel.ndim - 2).Select(d => (long)d)]);

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

    /// <summary>The dilated extent of a window: <c>(k-1)·dilation + 1</c>.</summary>
    public static long Dilated(long size, long dilation) => size == 0 ? 0 : (size - 1) * dilation + 1;

    /// <summary>
    /// JAX's <c>'SAME'</c> pads for one dim: <c>out = ceil(in/stride)</c>, <c>total = max((out-1)·stride + window - in, 0)</c>,
    /// <c>lo = total/2</c> and the odd one after (<c>hi = total - lo</c>), unlike PyTorch's symmetric <c>k/2</c>.
    /// </summary>
    public static (long Lo, long Hi) SamePads(long size, long window, long stride)
    {
        var total = Math.Max((DivCeil(size, stride) - 1) * stride + window - size, 0);
        return (total / 2, total - total / 2);
    }

    /// <summary>The zero pads of <c>'SAME'</c>, <c>'VALID'</c> or explicit padding for each spatial dim.</summary>
    /// <param name="padding">Same, Valid or Explicit (the edge modes are applied by <see cref="PadEdges"/> first).</param>
    /// <param name="sizes">Spatial input sizes.</param>
    /// <param name="windows">Effective (dilated) window sizes.</param>
    /// <param name="strides">Window strides.</param>
    public static (long Lo, long Hi)[] Pads(Padding padding, long[] sizes, long[] windows, long[] strides) => padding.Kind switch
    {
        PaddingKind.Same => [.. sizes.Select((size, i) => SamePads(size, windows[i], strides[i]))],
        PaddingKind.Explicit => padding.PairsFor(sizes.Length),
        _ => [.. sizes.Select(_ => (0L, 0L))],
    };

    /// <summary>
    /// A convolution's padding, the Flax way: the edge modes (circular, reflect, causal) pad the channels-first input
    /// itself and leave no zero pads; <c>'SAME'</c> and explicit padding become <c>(lo, hi)</c> zero pads for the convolution.
    /// </summary>
    public static (Tensor Input, (long Lo, long Hi)[] Pads) ConvPadding(Tensor x, Padding padding, long[] windows, long[] strides)
    {
        var kind = padding.Kind;
        if (kind is PaddingKind.Circular or PaddingKind.Reflect or PaddingKind.Causal)
            x = PadEdges(x, kind, [.. windows.Select(w => EdgePads(kind, w))]);
        return (x, Pads(padding, x.shape[2..], windows, strides));
    }

    /// <summary>
    /// The pads <c>lax.conv_transpose</c> uses for one dim with effective kernel <paramref name="window"/> and stride
    /// <paramref name="stride"/>: <c>'SAME'</c> gives <c>out = in·stride</c>; <c>'VALID'</c> gives <c>(in-1)·stride + max(k, stride)</c>.
    /// </summary>
    public static (long Lo, long Hi) TransposePads(PaddingKind kind, long window, long stride)
    {
        var total = kind == PaddingKind.Same ? window + stride - 2 : window + stride - 2 + Math.Max(window - stride, 0);
        var lo = kind == PaddingKind.Same && stride <= window - 1 ? DivCeil(total, 2) : window - 1;
        return (lo, total - lo);
    }

    /// <summary>The pads of an edge mode for one dim: <c>((k-1)/2, k/2)</c> for circular and reflect, <c>(k-1, 0)</c> for causal.</summary>
    public static (long Lo, long Hi) EdgePads(PaddingKind kind, long window) =>
        kind == PaddingKind.Causal ? (window - 1, 0) : ((window - 1) / 2, window / 2);

    /// <summary>
    /// Pads the spatial dims of a channels-first tensor by gathering: periodically (<c>jnp.pad</c> 'wrap') for circular,
    /// mirrored for reflect (both for any pad length, as NumPy allows), with zeros for causal.
    /// </summary>
    public static Tensor PadEdges(Tensor x, PaddingKind kind, (long Lo, long Hi)[] pads)
    {
        if (kind == PaddingKind.Causal) return PadConstant(x, pads, 0);
        for (var i = 0; i < pads.Length; i++)
        {
            var (dim, size) = (i + 2, x.shape[i + 2]);
            var source = Enumerable.Range(0, (int)(size + pads[i].Lo + pads[i].Hi))
                .Select(j => kind == PaddingKind.Circular ? Mod(j - pads[i].Lo, size) : Mirror(j - pads[i].Lo, size)).ToArray();
            x = x.index_select(dim, tensor(source, device: x.device));
        }
        return x;
    }

    /// <summary>Pads the spatial dims of a channels-first tensor with <paramref name="value"/>; negative pads crop (as lax does).</summary>
    public static Tensor PadConstant(Tensor x, (long Lo, long Hi)[] pads, double value) =>
        pads.All(p => p == (0, 0)) ? x
            : nn.functional.pad(x, [.. pads.Reverse().SelectMany(p => new[] { p.Lo, p.Hi })], TorchSharp.PaddingModes.Constant, value);

    /// <summary>
    /// Wraps each spatial dim <c>i</c> of a channels-first tensor onto period <c>periods[i]</c>, summing the overlaps
    /// (Flax's CIRCULAR ConvTranspose): the dim is first zero-padded to an odd number of periods, the odd pad going
    /// before unless <paramref name="extraPadAfter"/>.
    /// </summary>
    public static Tensor FoldPeriodic(Tensor y, long[] periods, bool extraPadAfter)
    {
        var pads = periods.Select((period, i) => Mod(period - y.shape[i + 2], 2 * period))
            .Select(diff => extraPadAfter ? (diff / 2, diff - diff / 2) : (diff - diff / 2, diff / 2)).ToArray();
        y = PadConstant(y, pads, 0);
        for (var i = 0; i < periods.Length; i++)
            y = y.reshape([.. y.shape[..(i + 2)], -1, periods[i], .. y.shape[(i + 3)..]]).sum(i + 2);
        return y;
    }

    private static long DivCeil(long a, long b) => (a + b - 1) / b;

    private static long Mod(long a, long m) => ((a % m) + m) % m;

    private static long Mirror(long j, long size) =>
        size == 1 ? 0 : Mod(j, 2 * (size - 1)) is var r && r < size ? r : 2 * (size - 1) - r;
}
