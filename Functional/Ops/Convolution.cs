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
        // LibTorch 2.10 on CPU gets grouped convolutions of a channels-last-strided input (what the NHWC → NCHW permute
        // yields) wrong; on a contiguous copy they are right (found by the property tests against plain loops). Other
        // convolutions keep the channels-last input: no copy, and the faster kernels.
        x = inputDilation.Any(d => d > 1) ? Dilate(x, inputDilation) : groups > 1 ? x.contiguous() : x;
        var symmetric = pads.All(p => p.Lo == p.Hi && p.Lo >= 0);
        var input = symmetric ? x : Layout.PadConstant(x, pads, 0);
        long[] torchPads = [.. pads.Select(p => symmetric ? p.Lo : 0)];
        return strides.Length == 2
            ? F.conv2d(input, w, bias, strides, torchPads, kernelDilation, groups)
            : F.conv3d(input, w, bias, strides, torchPads, kernelDilation, groups);
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
