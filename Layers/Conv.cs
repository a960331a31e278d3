using Linen.Functional;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Layers;

/// <summary>
/// A 1-D, 2-D or 3-D convolution over channels-last inputs <c>(…batch, …spatial, in)</c>, as Flax's <c>nn.Conv</c>
/// (<c>lax.conv_general_dilated</c>): <c>kernel</c> <c>(…KernelSize, in/FeatureGroupCount, Features)</c>, <c>bias</c>
/// <c>(Features,)</c>. Several batch dims are flattened and restored; an input without one gets it added and removed.
/// </summary>
/// <param name="Features">The number of output features (filters).</param>
/// <param name="KernelSize">The window size per spatial dim; its length is the number of spatial dims.</param>
public sealed record Conv(int Features, int[] KernelSize) : Module
{
    /// <summary>Window strides: null or one value for all dims, or one per dim (default 1).</summary>
    public int[]? Strides { get; init; }

    /// <summary>The padding (default <c>"SAME"</c>); <c>"CAUSAL"</c> is for 1-D kernels.</summary>
    public Padding Padding { get; init; } = Padding.Same;

    /// <summary>Input (lhs) dilation, i.e. a transposed convolution's stride (default 1); needs explicit padding, as in lax.</summary>
    public int[]? InputDilation { get; init; }

    /// <summary>Kernel (rhs, atrous) dilation (default 1).</summary>
    public int[]? KernelDilation { get; init; }

    /// <summary>Splits input and output features into this many independent groups (default 1).</summary>
    public int FeatureGroupCount { get; init; } = 1;

    /// <summary>Whether to add a bias (default true).</summary>
    public bool UseBias { get; init; } = true;

    /// <summary>The compute dtype; null infers it from the input and the parameters.</summary>
    public ScalarType? Dtype { get; init; }

    /// <summary>The dtype parameters are created in (default float32).</summary>
    public ScalarType ParamDtype { get; init; } = ScalarType.Float32;

    /// <summary>The kernel initialiser (default LeCun normal, fan-in <c>prod(KernelSize)·in/groups</c>).</summary>
    public Initializer KernelInit { get; init; } = Initializers.LecunNormal();

    /// <summary>The bias initialiser (default zeros).</summary>
    public Initializer BiasInit { get; init; } = Initializers.Zeros;

    /// <summary>Convolves <paramref name="input"/>.</summary>
    /// <exception cref="InputShapeException">Too few dims, features not divisible by the groups, features unlike the stored kernel, or an input smaller than the kernel.</exception>
    /// <exception cref="ArgumentException">Unsupported hyperparameters (e.g. <c>"CAUSAL"</c> with a 2-D kernel, input dilation with string padding).</exception>
    public override Tensor Call(Scope scope, Tensor input)
    {
        var n = KernelSize.Length;
        Spatial.RequireSupportedRank(n, nameof(KernelSize));
        var (x, restore) = Spatial.FlattenBatch(input, n)
            ?? throw scope.ShapeError(this, $"{Spatial.Expectation(n, "kernel")}, got shape {Shapes.Format(input.shape)}.");
        var (strides, inputDilation, kernelDilation) = (Spatial.Broadcast(Strides, n, nameof(Strides)),
            Spatial.Broadcast(InputDilation, n, nameof(InputDilation)), Spatial.Broadcast(KernelDilation, n, nameof(KernelDilation)));
        if (Padding.Kind is PaddingKind.Causal && n != 1) throw Invalid(scope, $"CAUSAL padding is only implemented for 1-D convolutions, got a {n}-D kernel.");
        if (inputDilation.Any(d => d > 1) && Padding.Kind != PaddingKind.Explicit)
            throw Invalid(scope, $"{Padding} padding with InputDilation is not implemented (as in lax.conv_general_dilated); give explicit (lo, hi) pairs.");
        var (inFeatures, groups) = (x.size(-1), FeatureGroupCount);
        if (inFeatures % groups != 0 || Features % groups != 0)
            throw scope.ShapeError(this, $"FeatureGroupCount {groups} must divide both the input's {inFeatures} features (input shape {Shapes.Format(input.shape)}) and Features ({Features}).");
        long[] kernelShape = [.. KernelSize.Select(k => (long)k), inFeatures / groups, Features];
        scope.RequireShape(this, "kernel", kernelShape, input);
        var kernel = scope.Param("kernel", KernelInit, kernelShape, ParamDtype);
        var bias = UseBias ? scope.Param("bias", BiasInit, [Features], ParamDtype) : null;
        var dtype = Dtypes.Compute(Dtype, x, kernel, bias);
        var windows = kernelShape[..n].Select((k, i) => Layout.Dilated(k, kernelDilation[i])).ToArray();
        var (xc, pads) = Layout.ConvPadding(Layout.ToChannelsFirst(x.As(dtype)), Padding, windows, strides);
        for (var i = 0; i < n; i++)
            if (Layout.Dilated(xc.size(i + 2), inputDilation[i]) + pads[i].Lo + pads[i].Hi is var padded && padded < windows[i])
                throw scope.ShapeError(this, $"the input of shape {Shapes.Format(input.shape)} is smaller than the kernel in spatial dim {i} " +
                    $"with {Padding} padding: {padded} against a dilated kernel size of {windows[i]}.");
        var y = Convolution.GeneralDilated(xc, Layout.KernelToTorch(kernel.As(dtype)),
            strides, pads, inputDilation, kernelDilation, groups, bias?.As(dtype));
        return restore(Layout.ToChannelsLast(y));
    }

    private ArgumentException Invalid(Scope scope, string message) => new($"{TypeName} at '{scope.PathText}': {message}");
}
