using Linen.Functional;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Linen.Layers;

/// <summary>
/// Flax's pooling functions (<c>flax/linen/pooling.py</c>) over channels-last inputs <c>(…batch, …window dims, features)</c>,
/// 1 to 3 window dims. As in Flax, <c>strides</c> default to 1 (not to the window) and <c>padding</c> to <c>"VALID"</c>;
/// <c>"SAME"</c> splits its pads with the odd one after; padded cells hold the reduction's identity.
/// An input without batch dims gets one added and removed.
/// </summary>
public static class Pooling
{
    /// <summary>The maximum of each window (<c>nn.max_pool</c>); padding counts as −∞.</summary>
    /// <param name="input">Channels-last input.</param>
    /// <param name="window">The window size per pooled dim.</param>
    /// <param name="strides">The window strides (default 1 in every dim).</param>
    /// <param name="padding"><c>"VALID"</c> (default), <c>"SAME"</c> or <c>(lo, hi)</c> pairs.</param>
    /// <exception cref="InputShapeException">The input has too few dims or is smaller than a VALID window.</exception>
    public static Tensor MaxPool(Tensor input, int[] window, int[]? strides = null, Padding? padding = null) =>
        Pool(input, window, strides, padding, max: true, nameof(MaxPool));

    /// <summary>The minimum of each window (<c>nn.min_pool</c>); padding counts as +∞.</summary>
    /// <inheritdoc cref="MaxPool"/>
    public static Tensor MinPool(Tensor input, int[] window, int[]? strides = null, Padding? padding = null) =>
        Pool(input.neg(), window, strides, padding, max: true, nameof(MinPool)).neg();

    /// <summary>
    /// The mean of each window (<c>nn.avg_pool</c>): the window sum divided by the window size when
    /// <paramref name="countIncludePad"/> (default), else by the number of real (unpadded) cells in it.
    /// </summary>
    /// <param name="input">Channels-last input.</param>
    /// <param name="window">The window size per pooled dim.</param>
    /// <param name="strides">The window strides (default 1 in every dim).</param>
    /// <param name="padding"><c>"VALID"</c> (default), <c>"SAME"</c> or <c>(lo, hi)</c> pairs.</param>
    /// <param name="countIncludePad">Whether padded cells count in the divisor.</param>
    /// <exception cref="InputShapeException">The input has too few dims or is smaller than a VALID window.</exception>
    public static Tensor AvgPool(Tensor input, int[] window, int[]? strides = null, Padding? padding = null, bool countIncludePad = true)
    {
        Tensor Sum(Tensor x) => Pool(x, window, strides, padding, max: false, nameof(AvgPool));
        var sum = Sum(input);
        if (countIncludePad) return sum.Div(Shapes.Numel([.. window.Select(w => (long)w)]));
        var counts = Sum(ones([1, .. input.shape[^(window.Length + 1)..^1], 1], sum.dtype, input.device));
        return sum / (input.ndim == window.Length + 1 ? counts[0] : counts);
    }

    private static Tensor Pool(Tensor input, int[] window, int[]? strides, Padding? padding, bool max, string name)
    {
        var n = window.Length;
        Spatial.RequireSupportedRank(n, nameof(window));
        var kind = (padding ?? Padding.Valid).Kind;
        if (kind is not (PaddingKind.Same or PaddingKind.Valid or PaddingKind.Explicit))
            throw new ArgumentException($"{name}: padding must be SAME, VALID or (lo, hi) pairs, got {padding}.", nameof(padding));
        var (x, restore) = Spatial.FlattenBatch(input, n)
            ?? throw new InputShapeException($"{name}: {Spatial.Expectation(n, "window")}, got shape {Shapes.Format(input.shape)}.");
        long[] k = [.. window.Select(w => (long)w)];
        var s = Spatial.Broadcast(strides, n, nameof(strides));
        var group = max && FoldsBatchIntoChannels(x) ? ExamplesPerImage(x) : 1;
        var xc = Layout.ToChannelsFirst(group > 1 ? BatchIntoChannels(x, group) : x);
        var sizes = Shapes.Of(xc)[2..];
        var pads = Layout.Pads(padding ?? Padding.Valid, sizes, k, s);
        for (var i = 0; i < n; i++)
            if (sizes[i] + pads[i].Lo + pads[i].Hi is var size && size < k[i])
                throw new InputShapeException($"{name}: the input of shape {Shapes.Format(input.shape)} is smaller than the window " +
                    $"({string.Join(", ", k)}) in pooled dim {i} with {padding ?? Padding.Valid} padding: {size} against {k[i]}.");
        var padded = Layout.PadConstant(xc, pads, max ? double.NegativeInfinity : 0);
        var pooled = Layout.ToChannelsLast(Pool2Or3(padded, k, s, max));
        return restore(group > 1 ? ChannelsIntoBatch(pooled, group) : pooled);
    }

    // LibTorch's channels-last max-pool kernel works through the channels in vectors; with fewer than 8 channels it
    // runs mostly its scalar remainder loop. Pooling groups of examples as one image with group x channels channels
    // gives the same windows, values and gradients faster; below ~2^18 input elements the copies cost more than they
    // save. Groups rather than the whole batch: the kernel's backward runs one image per thread, so one image of
    // batch x channels channels left a core idle (LeNet training step, batch 128, 2 threads: Linen / hand-written
    // TorchSharp 1.17 with one image, 1.05-1.07 unfolded, 0.98-1.01 with groups of 8 examples (48 channels); inference at
    // batch 1024 as fast as with one image, 0.74-0.79 against 0.85). Sums gained nothing.
    private const long FoldBelowChannels = 8;
    private const long FoldFromElements = 1 << 18;
    private const long FoldedChannels = 32;

    private static bool FoldsBatchIntoChannels(Tensor x) =>
        x.device_type == TorchSharp.DeviceType.CPU && x.size(-1) < FoldBelowChannels && x.size(0) > 1 && x.numel() >= FoldFromElements;

    /// <summary>The fewest examples per image that give at least <see cref="FoldedChannels"/> channels and divide the batch (the whole batch when none does).</summary>
    private static long ExamplesPerImage(Tensor x)
    {
        var (batch, channels) = (x.size(0), x.size(-1));
        for (var group = (FoldedChannels + channels - 1) / channels; group < batch; group++)
            if (batch % group == 0) return group;
        return batch;
    }

    /// <summary><c>(N, …spatial, C)</c> → <c>(N / group, …spatial, group·C)</c>, copied so that each cell's group·C values are adjacent.</summary>
    private static Tensor BatchIntoChannels(Tensor x, long group)
    {
        var spatial = (int)x.ndim - 2;
        long[] order = [0, .. Enumerable.Range(2, spatial).Select(d => (long)d), 1, spatial + 2];
        return x.view([x.size(0) / group, group, .. x.shape[1..]]).permute(order).contiguous()
            .view([x.size(0) / group, .. x.shape[1..^1], group * x.size(-1)]);
    }

    /// <summary>The inverse of <see cref="BatchIntoChannels"/>, contiguous.</summary>
    private static Tensor ChannelsIntoBatch(Tensor y, long group)
    {
        var spatial = (int)y.ndim - 2;
        long[] order = [0, spatial + 1, .. Enumerable.Range(1, spatial).Select(d => (long)d), spatial + 2];
        return y.view([.. y.shape[..^1], group, y.size(-1) / group]).permute(order).contiguous()
            .view([y.size(0) * group, .. y.shape[1..^1], y.size(-1) / group]);
    }

    // LibTorch pools 2 or 3 dims; a 1-D pool runs as 2-D over a trailing unit dim. Sums use divisor 1 so that
    // dividing happens once, as in Flax.
    private static Tensor Pool2Or3(Tensor x, long[] k, long[] s, bool max)
    {
        if (k.Length == 1) return Pool2Or3(x.unsqueeze(-1), [k[0], 1], [s[0], 1], max).squeeze(-1);
        return (k.Length, max) switch
        {
            (2, true) => F.max_pool2d(x, k, s),
            (3, true) => F.max_pool3d(x, k, s),
            (2, false) => F.avg_pool2d(x, k, s, divisor_override: 1),
            _ => F.avg_pool3d(x, k, s, divisor_override: 1),
        };
    }
}
