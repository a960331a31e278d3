using Linen.Functional;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Layers;

/// <summary>
/// A transposed convolution over channels-last inputs, as Flax's <c>nn.ConvTranspose</c> (<c>lax.conv_transpose</c>): the
/// input is dilated by <see cref="Strides"/> and convolved with <c>kernel</c> <c>(…KernelSize, in, Features)</c>, unflipped
/// unless <see cref="TransposeKernel"/>. <c>"SAME"</c> gives <c>in·stride</c> outputs, <c>"VALID"</c>
/// <c>(in-1)·stride + max(k_eff, stride)</c>; <c>"CIRCULAR"</c> wraps the VALID output onto the period <c>in·stride</c>.
/// </summary>
/// <param name="Features">The number of output features.</param>
/// <param name="KernelSize">The window size per spatial dim; its length is the number of spatial dims.</param>
public sealed record ConvTranspose(int Features, int[] KernelSize) : Module
{
    /// <summary>Strides, i.e. the input dilation (default 1).</summary>
    public int[]? Strides { get; init; }

    /// <summary>The padding (default <c>"SAME"</c>): SAME, VALID, CIRCULAR or explicit pairs of the dilated input.</summary>
    public Padding Padding { get; init; } = Padding.Same;

    /// <summary>Kernel dilation (default 1).</summary>
    public int[]? KernelDilation { get; init; }

    /// <summary>Whether to add a bias (default true).</summary>
    public bool UseBias { get; init; } = true;

    /// <summary>
    /// When true the kernel is <c>(…k, Features, in)</c> and is flipped spatially with in and out swapped, so that it
    /// computes the gradient of a Conv with the same kernel, as PyTorch/Keras checkpoints expect (default false).
    /// </summary>
    public bool TransposeKernel { get; init; }

    /// <summary>The compute dtype; null infers it from the input and the parameters.</summary>
    public ScalarType? Dtype { get; init; }

    /// <summary>The dtype parameters are created in (default float32).</summary>
    public ScalarType ParamDtype { get; init; } = ScalarType.Float32;

    /// <summary>The kernel initialiser (default LeCun normal).</summary>
    public Initializer KernelInit { get; init; } = Initializers.LecunNormal();

    /// <summary>The bias initialiser (default zeros).</summary>
    public Initializer BiasInit { get; init; } = Initializers.Zeros;

    /// <summary>Applies the transposed convolution to <paramref name="input"/>.</summary>
    /// <exception cref="InputShapeException">Too few dims, features unlike the stored kernel, or explicit pads that leave no output.</exception>
    /// <exception cref="ArgumentException">REFLECT or CAUSAL padding, which Flax's ConvTranspose does not offer.</exception>
    public override Tensor Call(Scope scope, Tensor input)
    {
        var n = KernelSize.Length;
        Spatial.RequireSupportedRank(n, nameof(KernelSize));
        if (Padding.Kind is PaddingKind.Reflect or PaddingKind.Causal)
            throw new ArgumentException($"{TypeName} at '{scope.PathText}': {Padding} padding is not available; use SAME, VALID, CIRCULAR or (lo, hi) pairs.");
        var (x, restore) = Spatial.FlattenBatch(input, n)
            ?? throw scope.ShapeError(this, $"{Spatial.Expectation(n, "kernel")}, got shape {Shapes.Format(input.shape)}.");
        var (strides, kernelDilation) = (Spatial.Broadcast(Strides, n, nameof(Strides)), Spatial.Broadcast(KernelDilation, n, nameof(KernelDilation)));
        long[] window = [.. KernelSize.Select(k => (long)k)];
        long[] kernelShape = TransposeKernel ? [.. window, Features, x.shape[^1]] : [.. window, x.shape[^1], Features];
        scope.RequireShape(this, "kernel", kernelShape, input);
        var kernel = scope.Param("kernel", KernelInit, kernelShape, ParamDtype);
        var bias = UseBias ? scope.Param("bias", BiasInit, [Features], ParamDtype) : null;
        var dtype = Dtypes.Compute(Dtype, x, kernel, bias);

        var w = kernel.As(dtype);
        if (TransposeKernel) w = w.flip([.. Enumerable.Range(0, n).Select(d => (long)d)]).transpose(-1, -2);
        var windows = window.Select((k, i) => Layout.Dilated(k, kernelDilation[i])).ToArray();
        var pads = Padding.Kind == PaddingKind.Explicit ? Padding.PairsFor(n)
            : [.. windows.Select((k, i) => Layout.TransposePads(Padding.Kind, k, strides[i]))];
        long[] sizes = x.shape[1..^1];
        for (var i = 0; i < n; i++)
            if (Layout.Dilated(sizes[i], strides[i]) + pads[i].Lo + pads[i].Hi is var padded && padded < windows[i])
                throw scope.ShapeError(this, $"the input of shape {Shapes.Format(input.shape)} leaves no output in spatial dim {i} " +
                    $"with {Padding} padding: {padded} against a dilated kernel size of {windows[i]}.");
        var y = Convolution.GeneralDilated(Layout.ToChannelsFirst(x.As(dtype)), Layout.KernelToTorch(w),
            [.. Enumerable.Repeat(1L, n)], pads, strides, kernelDilation, 1);
        if (Padding.Kind == PaddingKind.Circular)
            y = Layout.FoldPeriodic(y, [.. sizes.Select((s, i) => s * strides[i])], extraPadAfter: TransposeKernel);
        y = Layout.ToChannelsLast(y);
        return restore(bias is null ? y : y.Add(bias.As(dtype)));
    }
}
