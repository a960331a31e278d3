using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Linen.Functional;

/// <summary>
/// <c>lax.conv_general_dilated</c> on LibTorch: channels-first input <c>(N, C, …spatial)</c>, kernel <c>(O, C/groups, …k)</c>,
/// explicit <c>(lo, hi)</c> pads (negative ones crop), window strides, input (lhs) and kernel (rhs) dilation, feature groups.
/// 1 to 3 spatial dims. Callers check shapes first: the output must be at least one element wide in every dim.
/// </summary>
internal static class Convolution
{
    /// <summary>
    /// The convolution; see the class summary for the layouts. A <paramref name="bias"/> <c>(O,)</c> is added to every
    /// output position inside LibTorch's convolution (the same sums as adding it afterwards, without another pass).
    /// </summary>
    public static Tensor GeneralDilated(Tensor x, Tensor w, long[] strides, (long Lo, long Hi)[] pads,
        long[] inputDilation, long[] kernelDilation, long groups, Tensor? bias = null)
    {
        // LibTorch's 1-D entry points take other argument types; a trailing unit dim makes a 1-D conv a 2-D one.
        if (strides.Length == 1)
            return GeneralDilated(x.unsqueeze(-1), w.unsqueeze(-1), [strides[0], 1], [pads[0], (0, 0)],
                [inputDilation[0], 1], [kernelDilation[0], 1], groups, bias).squeeze(-1);
        x = inputDilation.Any(d => d > 1) ? Dilate(x, inputDilation) : Operand(x, strides, kernelDilation, groups);
        w = Layout.WithRowMajorStrides(w);
        var symmetric = pads.All(p => p.Lo == p.Hi && p.Lo >= 0);
        var input = symmetric ? x : Layout.PadConstant(x, pads, 0);
        long[] torchPads = [.. pads.Select(p => symmetric ? p.Lo : 0)];
        return strides.Length == 2
            ? F.conv2d(input, w, bias, strides, torchPads, kernelDilation, groups)
            : F.conv3d(input, w, bias, strides, torchPads, kernelDilation, groups);
    }

    /// <summary>
    /// The input as LibTorch 2.10's CPU convolutions compute it right and fast. The channels-first view of NHWC data has
    /// channels-last strides: no copy, and the channels-last kernels are the fast ones (row-major NCHW made LeNet's
    /// 6-feature conv at batch 1024 6x slower: oneDNN pads it to 16 channels). Grouped convolutions of such an input
    /// return wrong values: they get a row-major copy (found by the property tests against plain loops). Strided or
    /// dilated ones of a one-channel input, whose view counts as row-major and channels-last at once, returned values that
    /// changed from call to call: they get row-major strides (a view; see <see cref="Layout.WithUnambiguousStrides"/>).
    /// Without strides or dilation 0 of 3,000 calls went wrong, and row-major strides made LeNet's first convolution
    /// slower (33,000 instead of ~52,000 images/s at batch 1024), so those keep the view as it is.
    /// </summary>
    private static Tensor Operand(Tensor x, long[] strides, long[] kernelDilation, long groups)
    {
        if (groups > 1) return Layout.WithRowMajorStrides(x);
        return strides.All(s => s == 1) && kernelDilation.All(d => d == 1) ? x : Layout.WithUnambiguousStrides(x);
    }

    /// <summary>
    /// The input with <c>d-1</c> zeros between neighbours along each spatial dim. LibTorch's transposed convolution would
    /// avoid the zeros, but it returns wrong values for batches when a spatial dim and its kernel are 1 wide (LibTorch
    /// 2.10, CPU), so the dilated input goes through the plain convolution, which the property tests confirm.
    /// </summary>
    private static Tensor Dilate(Tensor x, long[] dilation)
    {
        var dilated = zeros([x.shape[0], x.shape[1], .. dilation.Select((d, i) => Layout.Dilated(x.shape[i + 2], d))], x.dtype, x.device);
        dilated[[TensorIndex.Colon, TensorIndex.Colon, .. dilation.Select(d => TensorIndex.Slice(null, null, d))]] = x;
        return dilated;
    }
}
