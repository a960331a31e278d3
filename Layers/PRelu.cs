using Linen.Functional;
using static TorchSharp.torch;

namespace Linen.Layers;

/// <summary>
/// Parametric ReLU (<c>flax.linen.PReLU</c>): <c>x</c> for x ≥ 0, else <c>negative_slope·x</c>, where the scalar
/// parameter <c>negative_slope</c> starts at <see cref="NegativeSlopeInit"/>. Auto-named <c>PReLU_k</c>, as in Flax.
/// </summary>
public sealed record PRelu : Module
{
    /// <summary>Flax's class name, so that auto-names, and with them parameter paths, match.</summary>
    public override string TypeName => "PReLU";

    /// <summary>The type of <c>negative_slope</c>.</summary>
    public ScalarType ParamDtype { get; init; } = ScalarType.Float32;

    /// <summary>The initial value of <c>negative_slope</c>.</summary>
    public float NegativeSlopeInit { get; init; } = 0.01f;

    /// <summary>Applies the activation; the output has the input's shape and type.</summary>
    public override Tensor Call(Scope scope, Tensor input)
    {
        var slope = scope.Param("negative_slope", (_, _) => [NegativeSlopeInit], [], ParamDtype);
        return where(input.ge(Scalars.Zero), input, MixedPrecision.Cast(slope, input.dtype) * input);
    }
}
