using Linen.Functional;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Layers;

/// <summary>
/// A linear map contracting several input axes into several feature axes, as Flax's <c>nn.DenseGeneral</c> (without
/// <c>batch_dims</c>): <c>kernel</c> is <c>(…in dims of Axis in ascending order, …Features)</c>, <c>bias</c> is <c>Features</c>;
/// the output is the input's other axes followed by <c>Features</c>. The initialisers see the flattened
/// <c>(prod(in dims), prod(Features))</c> shape, so LeCun's fan-in is the product of the contracted dims.
/// </summary>
/// <param name="Features">The output feature dims.</param>
public sealed record DenseGeneral(int[] Features) : Module
{
    /// <summary>The input axes to contract (default the last); negative counts from the end.</summary>
    public int[] Axis { get; init; } = [-1];

    /// <summary>Whether to add a bias (default true).</summary>
    public bool UseBias { get; init; } = true;

    /// <summary>The compute dtype; null infers it from the input and the parameters.</summary>
    public ScalarType? Dtype { get; init; }

    /// <summary>The dtype parameters are created in (default float32).</summary>
    public ScalarType ParamDtype { get; init; } = ScalarType.Float32;

    /// <summary>The kernel initialiser (default LeCun normal), applied to the flattened 2-D shape.</summary>
    public Initializer KernelInit { get; init; } = Initializers.LecunNormal();

    /// <summary>The bias initialiser (default zeros), applied to the flattened 1-D shape.</summary>
    public Initializer BiasInit { get; init; } = Initializers.Zeros;

    /// <summary>Applies the map.</summary>
    /// <exception cref="InputShapeException">An axis is out of range or repeated, or the input does not fit the stored kernel.</exception>
    public override Tensor Call(Scope scope, Tensor input)
    {
        var axes = Axis.Select(a => a < 0 ? a + input.ndim : a).Order().ToArray();
        if (axes.Any(a => a < 0 || a >= input.ndim) || axes.Distinct().Count() != axes.Length)
            throw scope.ShapeError(this, $"Axis ({string.Join(", ", Axis)}) must name distinct axes of the input of shape {Shapes.Format(input.shape)}.");
        long[] features = [.. Features.Select(f => (long)f)];
        long[] contracted = [.. axes.Select(a => input.shape[a])];
        long[] kernelShape = [.. contracted, .. features];
        scope.RequireShape(this, "kernel", kernelShape, input);
        long[] flat = [Shapes.Numel(contracted), Shapes.Numel(features)];
        var kernel = scope.Param("kernel", (key, _) => KernelInit(key, flat), kernelShape, ParamDtype);
        var bias = UseBias ? scope.Param("bias", (key, _) => BiasInit(key, [flat[1]]), features, ParamDtype) : null;
        var dtype = Dtypes.Compute(Dtype, input, kernel, bias);
        var y = tensordot(input.As(dtype), kernel.As(dtype), axes, [.. Enumerable.Range(0, axes.Length).Select(i => (long)i)]);
        return bias is null ? y : y.Add(bias.As(dtype));
    }
}
