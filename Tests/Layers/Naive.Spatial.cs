namespace Linen.Tests.Layers;

/// <summary>
/// Plain-loop references that the layers are compared with, written from the definitions (double accumulation),
/// independent of LibTorch and of Linen's code. This part: lax semantics on channels-last arrays <c>(N, …spatial, C)</c>
/// (XLA's ConvGeneralDilated and ReduceWindow) and the padding modes.
/// </summary>
internal static partial class Naive
{
    /// <summary>
    /// <c>lax.conv_general_dilated</c>: output cell <c>o</c> sums <c>x[(o·s + j·rd - lo)/ld] · k[j]</c> over kernel positions
    /// <c>j</c> whose position in the padded, <c>ld</c>-dilated input falls on a real input cell. Kernel <c>(…k, C/g, O)</c>.
    /// </summary>
    public static Nd Conv(Nd x, Nd k, long[] strides, (long Lo, long Hi)[] pads, long[] lhsDil, long[] rhsDil, long groups)
    {
        var n = strides.Length;
        long[] inSize = x.Shape[1..^1], kSize = k.Shape[..n];
        var (inPerGroup, outFeatures) = (k.Shape[^2], k.Shape[^1]);
        var outPerGroup = outFeatures / groups;
        long[] outSize = [.. Enumerable.Range(0, n).Select(i =>
            ((inSize[i] - 1) * lhsDil[i] + 1 + pads[i].Lo + pads[i].Hi - ((kSize[i] - 1) * rhsDil[i] + 1)) / strides[i] + 1)];
        var y = Nd.Zeros([x.Shape[0], .. outSize, outFeatures]);
        foreach (var o in Nd.Indices(y.Shape))
        {
            var (g, sum) = (o[^1] / outPerGroup, 0.0);
            foreach (var j in Nd.Indices(kSize))
            {
                var source = new long[n];
                var real = true;
                for (var i = 0; i < n && real; i++)
                {
                    var p = o[i + 1] * strides[i] + j[i] * rhsDil[i] - pads[i].Lo;
                    real = p >= 0 && p % lhsDil[i] == 0 && p / lhsDil[i] < inSize[i];
                    source[i] = real ? p / lhsDil[i] : 0;
                }
                if (!real) continue;
                for (long c = 0; c < inPerGroup; c++)
                    sum += (double)x[[o[0], .. source, g * inPerGroup + c]] * k[[.. j, c, o[^1]]];
            }
            y[o] = (float)sum;
        }
        return y;
    }

    /// <summary><c>lax.reduce_window</c> over the spatial dims with padding cells equal to <paramref name="init"/>.</summary>
    public static Nd Pool(Nd x, long[] window, long[] strides, (long Lo, long Hi)[] pads, float init, Func<float, float, float> op)
    {
        var n = window.Length;
        long[] inSize = x.Shape[1..^1];
        long[] outSize = [.. Enumerable.Range(0, n).Select(i => (inSize[i] + pads[i].Lo + pads[i].Hi - window[i]) / strides[i] + 1)];
        var y = Nd.Zeros([x.Shape[0], .. outSize, x.Shape[^1]]);
        foreach (var o in Nd.Indices(y.Shape))
        {
            var acc = init;
            foreach (var j in Nd.Indices(window))
            {
                long[] p = [.. Enumerable.Range(0, n).Select(i => o[i + 1] * strides[i] + j[i] - pads[i].Lo)];
                var inside = p.Select((v, i) => v >= 0 && v < inSize[i]).All(b => b);
                acc = op(acc, inside ? x[[o[0], .. p, o[^1]]] : init);
            }
            y[o] = acc;
        }
        return y;
    }

    /// <summary>Pads the spatial dims; <paramref name="source"/> maps (padded index − lo, size) to an input index, or null for zero.</summary>
    public static Nd Pad(Nd x, (long Lo, long Hi)[] pads, Func<long, long, long?> source)
    {
        var n = pads.Length;
        var y = Nd.Zeros([x.Shape[0], .. x.Shape[1..^1].Select((s, i) => s + pads[i].Lo + pads[i].Hi), x.Shape[^1]]);
        foreach (var o in Nd.Indices(y.Shape))
        {
            var from = Enumerable.Range(0, n).Select(i => source(o[i + 1] - pads[i].Lo, x.Shape[i + 1])).ToArray();
            if (from.All(f => f is not null)) y[o] = x[[o[0], .. from.Select(f => f!.Value), o[^1]]];
        }
        return y;
    }

    public static long? Wrap(long j, long size) => ((j % size) + size) % size;

    /// <summary>NumPy's 'reflect': mirror about the edge cells without repeating them.</summary>
    public static long? Reflect(long j, long size)
    {
        if (size == 1) return 0;
        var r = ((j % (2 * size - 2)) + 2 * size - 2) % (2 * size - 2);
        return r < size ? r : 2 * size - 2 - r;
    }

    public static long? ZeroOutside(long j, long size) => j >= 0 && j < size ? j : null;

    /// <summary>Adds every cell <c>t</c> of each spatial dim into <c>(t + lo) mod period</c>.</summary>
    public static Nd FoldPeriodic(Nd y, long[] periods, long[] los)
    {
        var n = periods.Length;
        var z = Nd.Zeros([y.Shape[0], .. periods, y.Shape[^1]]);
        foreach (var t in Nd.Indices(y.Shape))
        {
            long[] target = [t[0], .. Enumerable.Range(0, n).Select(i => (t[i + 1] + los[i]) % periods[i]), t[^1]];
            z[target] += y[t];
        }
        return z;
    }

    /// <summary>A kernel <c>(…k, A, B)</c> flipped in its spatial dims with its last two dims swapped.</summary>
    public static Nd FlipSwap(Nd k)
    {
        var n = k.Shape.Length - 2;
        var y = Nd.Zeros([.. k.Shape[..n], k.Shape[^1], k.Shape[^2]]);
        foreach (var j in Nd.Indices(k.Shape))
            y[[.. j[..n].Select((v, i) => k.Shape[i] - 1 - v), j[^1], j[^2]]] = k[j];
        return y;
    }

    /// <summary>JAX's padtype_to_pads for 'SAME' (spec/linen.md B.1, shared by pooling per B.2): out = ceil(in/s); the odd pad goes after.</summary>
    public static (long, long) SamePads(long size, long window, long stride)
    {
        var total = Math.Max(((size + stride - 1) / stride - 1) * stride + window - size, 0);
        return (total / 2, total - total / 2);
    }
}
