using Linen.Functional;
using TorchSharp;
using static TorchSharp.torch;

namespace Linen.Layers;

/// <summary>
/// Attention masks (<c>flax.linen.make_attention_mask</c>, <c>make_causal_mask</c>, <c>combine_masks</c>):
/// <c>[batch…, 1, q, kv]</c> tensors that are nonzero where a query may attend to a key.
/// </summary>
public static class Masks
{
    /// <summary>
    /// <c>pairwiseFn(query[…, :, None], key[…, None, :])</c> with a head axis inserted at −3 and
    /// <paramref name="extraBatchDims"/> leading axes of size 1: from <c>[batch…, q]</c> and <c>[batch…, kv]</c> it
    /// makes <c>[1…, batch…, 1, q, kv]</c>. The default pairwise function is multiplication (both nonzero, e.g.
    /// non-padding tokens).
    /// </summary>
    /// <exception cref="InputShapeException">The batch dimensions of the inputs do not broadcast.</exception>
    public static Tensor MakeAttentionMask(Tensor queryInput, Tensor keyInput, Func<Tensor, Tensor, Tensor>? pairwiseFn = null,
        int extraBatchDims = 0, ScalarType dtype = ScalarType.Float32)
    {
        if (queryInput.dim() == 0 || keyInput.dim() == 0)
            throw new InputShapeException($"Attention masks are made from [batch…, length] inputs; got query {Shapes.Format(queryInput.shape)} and key {Shapes.Format(keyInput.shape)}.");
        Tensor mask;
        try
        {
            mask = (pairwiseFn ?? ((q, k) => q * k))(queryInput.unsqueeze(-1), keyInput.unsqueeze(-2));
        }
        catch (System.Runtime.InteropServices.ExternalException e)
        {
            throw new InputShapeException($"The batch dimensions of query {Shapes.Format(queryInput.shape)} and key {Shapes.Format(keyInput.shape)} " +
                $"do not broadcast ({e.Message.Split('\n')[0]}).");
        }
        mask = mask.unsqueeze(-3);
        for (var i = 0; i < extraBatchDims; i++) mask = mask.unsqueeze(0);
        return mask.to_type(dtype);
    }

    /// <summary>
    /// The causal mask of <c>[batch…, length]</c>: <c>[1…, batch…, 1, length, length]</c>, nonzero where the key
    /// position is not after the query position.
    /// </summary>
    public static Tensor MakeCausalMask(Tensor x, int extraBatchDims = 0, ScalarType dtype = ScalarType.Float32)
    {
        if (x.dim() == 0)
            throw new InputShapeException("A causal mask is made from a [batch…, length] input; got a scalar.");
        using var length = x.shape[^1].ToScalar();
        var positions = arange(Scalars.Zero, length, Scalars.One, ScalarType.Int32, x.device).broadcast_to(x.shape);
        return MakeAttentionMask(positions, positions, (q, k) => q >= k, extraBatchDims, dtype);
    }

    /// <summary>The masks combined by logical and, as float32; null masks are skipped, and none at all gives null.</summary>
    /// <exception cref="InputShapeException">The masks have different ranks.</exception>
    public static Tensor? Combine(params Tensor?[] masks) => Combine(masks, ScalarType.Float32);

    /// <summary>The masks combined by logical and, as <paramref name="dtype"/>; null masks are skipped, and none at all gives null.</summary>
    /// <exception cref="InputShapeException">The masks have different ranks.</exception>
    public static Tensor? Combine(IEnumerable<Tensor?> masks, ScalarType dtype)
    {
        var given = masks.OfType<Tensor>().ToList();
        if (given.Count == 0) return null;
        if (given.Any(m => m.dim() != given[0].dim()))
            throw new InputShapeException($"Masks to combine must have one rank; got shapes {string.Join(", ", given.Select(m => Shapes.Format(m.shape)))}.");
        return given.Skip(1).Aggregate(given[0], (all, m) => all.logical_and(m)).to_type(dtype);
    }
}
