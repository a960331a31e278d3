using TorchSharp;
using static TorchSharp.torch;

namespace Linen.Layers;

/// <summary>
/// Flax's dtype rule (<c>flax.linen.dtypes.promote_dtype</c>): a layer computes in its <c>Dtype</c> when one is set,
/// otherwise in the promoted type of its inputs and parameters; integer inputs promote to float32, because Flax
/// promotes to an inexact type. Parameters keep their own <c>ParamDtype</c> (float32 by default).
/// </summary>
internal static class MixedPrecision
{
    /// <summary>The compute type: <paramref name="dtype"/>, or the promotion of the given tensors' types.</summary>
    public static ScalarType ComputeType(ScalarType? dtype, params Tensor?[] tensors)
    {
        if (dtype is { } chosen) return chosen;
        var promoted = tensors.OfType<Tensor>().Select(t => t.dtype).Aggregate(promote_types);
        return is_floating_point(promoted) ? promoted : ScalarType.Float32;
    }

    /// <summary>The tensor in <paramref name="type"/> (itself when it already is).</summary>
    public static Tensor Cast(Tensor tensor, ScalarType type) => tensor.dtype == type ? tensor : tensor.to_type(type);
}
