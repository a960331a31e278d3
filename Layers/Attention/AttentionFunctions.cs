using Linen.Functional;
using Linen.Prng;
using TorchSharp;
using static TorchSharp.torch;

namespace Linen.Layers;

/// <summary>
/// Dot-product attention as functions (<c>flax.linen.dot_product_attention</c> and
/// <c>dot_product_attention_weights</c>). Shapes: query <c>[batch…, q, heads, depth]</c>, key and value
/// <c>[batch…, kv, heads, depth]</c>; bias and mask broadcast to the weights <c>[batch…, heads, q, kv]</c>.
/// </summary>
public static class AttentionFunctions
{
    /// <summary>
    /// The attention weights <c>softmax(q·kᵀ/√depth + bias)</c> over the keys, <c>[batch…, heads, q, kv]</c>. Where
    /// <paramref name="mask"/> is false (zero) the logit becomes the type's lowest finite value. With dropout active,
    /// weights are kept with probability <c>1 − rate</c> and scaled by its inverse; with
    /// <paramref name="broadcastDropout"/> one mask <c>[q, kv]</c> is shared by the batch and the heads.
    /// </summary>
    /// <exception cref="InputShapeException">The shapes do not fit together.</exception>
    /// <exception cref="ArgumentException">Dropout is active but <paramref name="dropoutRng"/> is null.</exception>
    public static Tensor DotProductAttentionWeights(Tensor query, Tensor key, Tensor? bias = null, Tensor? mask = null,
        bool broadcastDropout = true, PrngKey? dropoutRng = null, double dropoutRate = 0, bool deterministic = false,
        ScalarType? dtype = null, bool forceFp32ForSoftmax = false)
    {
        RequireAttentionShapes(query, key, null);
        var type = MixedPrecision.ComputeType(dtype, query, key);
        var depth = tensor(MathF.Sqrt(query.size(-1)), ScalarType.Float32, query.device).to_type(type);
        var logits = einsum("...qhd,...khd->...hqk", MixedPrecision.Cast(query, type) / depth, MixedPrecision.Cast(key, type));
        if (bias is not null) logits = logits.Add(RequireBroadcastable("bias", bias, Shapes.Of(logits)));
        if (mask is not null)
        {
            var lowest = tensor(finfo(type).min, type, logits.device);
            logits = where(RequireBroadcastable("mask", mask, Shapes.Of(logits)).ne(Scalars.Zero), logits, lowest);
        }
        var weights = forceFp32ForSoftmax && type != ScalarType.Float32
            ? logits.to_type(ScalarType.Float32).softmax(-1)
            : logits.softmax(-1).to_type(type);
        if (deterministic || dropoutRate <= 0) return weights;
        if (dropoutRng is not { } rng)
            throw new ArgumentException("Attention dropout is active (rate > 0, not deterministic) but no dropout key was given.", nameof(dropoutRng));
        var keep = 1.0 - dropoutRate;
        long[] maskShape = broadcastDropout ? [.. Enumerable.Repeat(1L, (int)key.dim() - 2), .. Shapes.Of(weights)[^2..]] : Shapes.Of(weights);
        var kept = RandomMasks.Bernoulli(rng, keep, maskShape, weights.device).to_type(type);
        return weights * (kept / tensor(keep, type, weights.device));
    }

    /// <summary>
    /// Attention: the <see cref="DotProductAttentionWeights"/> applied to <paramref name="value"/>, giving
    /// <c>[batch…, q, heads, depth_v]</c>.
    /// </summary>
    /// <exception cref="InputShapeException">The shapes do not fit together.</exception>
    /// <exception cref="ArgumentException">Dropout is active but <paramref name="dropoutRng"/> is null.</exception>
    public static Tensor DotProductAttention(Tensor query, Tensor key, Tensor value, Tensor? bias = null, Tensor? mask = null,
        bool broadcastDropout = true, PrngKey? dropoutRng = null, double dropoutRate = 0, bool deterministic = false,
        ScalarType? dtype = null, bool forceFp32ForSoftmax = false)
    {
        RequireAttentionShapes(query, key, value);
        var weights = DotProductAttentionWeights(query, key, bias, mask, broadcastDropout, dropoutRng, dropoutRate,
            deterministic, dtype, forceFp32ForSoftmax);
        var type = promote_types(weights.dtype, MixedPrecision.ComputeType(dtype, query, key, value));
        return einsum("...hqk,...khd->...qhd", MixedPrecision.Cast(weights, type), MixedPrecision.Cast(value, type));
    }

    private static void RequireAttentionShapes(Tensor query, Tensor key, Tensor? value)
    {
        string Describe() => $"query {Shapes.Format(query.shape)}, key {Shapes.Format(key.shape)}" +
            (value is null ? "" : $", value {Shapes.Format(value.shape)}");
        var tensors = value is null ? new[] { query, key } : [query, key, value];
        if (query.dim() < 3 || tensors.Any(t => t.dim() != query.dim()))
            throw new InputShapeException($"Attention needs query, key and value of one rank ≥ 3, [batch…, length, heads, depth]; got {Describe()}.");
        if (tensors.Any(t => !Shapes.Of(t)[..^3].SequenceEqual(Shapes.Of(query)[..^3])))
            throw new InputShapeException($"Attention needs the same batch dimensions in query, key and value; got {Describe()}.");
        if (tensors.Any(t => t.size(-2) != query.size(-2)))
            throw new InputShapeException($"Attention needs the same number of heads (axis -2) in query, key and value; got {Describe()}.");
        if (key.size(-1) != query.size(-1))
            throw new InputShapeException($"Attention needs query and key of the same depth (axis -1); got {Describe()}.");
        if (value is not null && value.size(-3) != key.size(-3))
            throw new InputShapeException($"Attention needs key and value of the same length (axis -3); got {Describe()}.");
    }

    private static Tensor RequireBroadcastable(string what, Tensor t, long[] target)
    {
        var fits = t.dim() <= target.Length && Shapes.Of(t).Reverse().Zip(target.Reverse()).All(p => p.First == 1 || p.First == p.Second);
        return fits ? t : throw new InputShapeException(
            $"The attention {what} of shape {Shapes.Format(t.shape)} does not broadcast to the attention weights {Shapes.Format(target)} [batch…, heads, q, kv].");
    }
}
