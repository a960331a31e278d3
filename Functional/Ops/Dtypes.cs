using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>Flax's <c>promote_dtype</c>: the dtype a layer computes in, given its <c>dtype</c> attribute and its operands.</summary>
internal static class Dtypes
{
    /// <summary>
    /// <paramref name="dtype"/> when set; otherwise the promoted type of the operands, and float32 when that is not a
    /// floating type (Flax's <c>inexact=True</c>: integer inputs to a float layer compute in float32).
    /// </summary>
    public static ScalarType Compute(ScalarType? dtype, params Tensor?[] operands)
    {
        if (dtype is { } forced) return forced;
        var promoted = operands.OfType<Tensor>().Select(t => t.dtype).Aggregate((a, b) => a == b ? a : promote_types(a, b));
        return is_floating_point(promoted) || is_complex(promoted) ? promoted : ScalarType.Float32;
    }

    /// <summary>The tensor in <paramref name="type"/> (the same tensor when it already is).</summary>
    public static Tensor As(this Tensor tensor, ScalarType type) => tensor.dtype == type ? tensor : tensor.to_type(type);
}
