using Linen.Functional;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Layers;

/// <summary>
/// The <c>DenseGeneral</c> projections of <see cref="MultiHeadDotProductAttention"/>: contracts the last
/// <see cref="ContractedAxes"/> axes of the input with <c>kernel</c> (contracted…, features…) and adds <c>bias</c>
/// (features…). As in Flax, the initializers see the flattened 2-D kernel and 1-D bias shapes, so fan-in is the
/// product of the contracted sizes.
/// </summary>
internal sealed record HeadProjection(long[] Features, int ContractedAxes) : Module
{
    public required Initializer KernelInit { get; init; }
    public required Initializer BiasInit { get; init; }
    public bool UseBias { get; init; } = true;
    public ScalarType? Dtype { get; init; }
    public ScalarType ParamDtype { get; init; } = ScalarType.Float32;

    public override Tensor Call(Scope scope, Tensor input)
    {
        var shape = Shapes.Of(input);
        var contracted = shape[^ContractedAxes..];
        var batch = shape[..^ContractedAxes];
        long inSize = Shapes.Numel(contracted), outSize = Shapes.Numel(Features);
        var kernel = scope.Param("kernel", (key, _) => KernelInit(key, [inSize, outSize]), [.. contracted, .. Features], ParamDtype);
        var bias = UseBias ? scope.Param("bias", (key, _) => BiasInit(key, [outSize]), Features, ParamDtype) : null;
        var type = MixedPrecision.ComputeType(Dtype, input, kernel, bias);
        var y = MixedPrecision.Cast(input, type).reshape(Shapes.Numel(batch), inSize)
            .mm(MixedPrecision.Cast(kernel, type).reshape(inSize, outSize));
        if (bias is not null) y = y.Add(MixedPrecision.Cast(bias, type).reshape(outSize));
        return y.reshape([.. batch, .. Features]);
    }
}
