using Linen.Functional;
using Linen.Prng;
using TorchSharp;
using static TorchSharp.torch;

namespace Linen.Layers;

/// <summary>
/// A lookup table from integers in <c>[0, NumEmbeddings)</c> to <c>Features</c>-vectors, as Flax's <c>nn.Embed</c>: parameter
/// <c>embedding</c> <c>(NumEmbeddings, Features)</c>. Negative indices count from the end, as <c>jnp.take</c> does; an index
/// outside <c>[-NumEmbeddings, NumEmbeddings)</c> is an error here, where Flax returns NaN.
/// </summary>
/// <param name="NumEmbeddings">The number of rows (vocabulary size).</param>
/// <param name="Features">The width of each embedding.</param>
public sealed record Embed(int NumEmbeddings, int Features) : Module
{
    /// <summary>The compute dtype; null keeps the embedding's dtype (and promotes with the query in <see cref="Attend"/>).</summary>
    public ScalarType? Dtype { get; init; }

    /// <summary>The dtype the embedding is created in (default float32).</summary>
    public ScalarType ParamDtype { get; init; } = ScalarType.Float32;

    /// <summary>The initialiser: <c>variance_scaling(1, fan_in, normal, out_axis=0)</c>, i.e. <c>N(0, 1/Features)</c>.</summary>
    public Initializer EmbeddingInit { get; init; } = Initializers.VarianceScaling(1.0, FanMode.FanIn, Distribution.Normal, outAxis: 0);

    /// <summary>Looks up the rows of <paramref name="input"/>: integer indices of any shape give <c>(…input shape, Features)</c>.</summary>
    /// <exception cref="InputShapeException">The input is not integer, or an index is out of range.</exception>
    public override Tensor Call(Scope scope, Tensor input)
    {
        if (input.dtype is not (ScalarType.Byte or ScalarType.Int8 or ScalarType.Int16 or ScalarType.Int32 or ScalarType.Int64))
            throw scope.ShapeError(this, $"the input must hold integer indices, got {input.dtype} of shape {Shapes.Format(input.shape)}.");
        var indices = input.to_type(ScalarType.Int64);
        using var count = NumEmbeddings.ToScalar();
        using var negativeCount = (-NumEmbeddings).ToScalar();
        var outside = indices.lt(negativeCount) | indices.ge(count);
        if (outside.any().item<bool>())
        {
            long[] at = outside.nonzero()[0].data<long>().ToArray();
            var value = indices[[.. at.Select(i => TensorIndex.Single(i))]].item<long>();
            throw scope.ShapeError(this, $"index {value} at position ({string.Join(", ", at)}) of the input of shape {Shapes.Format(input.shape)} " +
                $"is out of range for {NumEmbeddings} embeddings (valid: {-NumEmbeddings} to {NumEmbeddings - 1}).");
        }
        var embedding = Table(scope);
        var rows = indices.remainder(count).flatten();
        return embedding.As(Dtype ?? embedding.dtype).index_select(0, rows).reshape([.. input.shape, Features]);
    }

    /// <summary>
    /// The inner products of each query vector with every embedding, <c>query · embeddingᵀ</c>: <c>(…, Features)</c> gives
    /// <c>(…, NumEmbeddings)</c>; used to tie output logits to the input embedding. Call it in this module's scope
    /// (<c>scope.Bind(embed, s => embed.Attend(s, q))</c>) to share the table with <see cref="Call"/>.
    /// </summary>
    /// <exception cref="InputShapeException">The query's last dim is not <c>Features</c>.</exception>
    public Tensor Attend(Scope scope, Tensor query)
    {
        if (query.ndim == 0 || query.shape[^1] != Features)
            throw scope.ShapeError(this, $"expected a query of shape (…, {Features}), got {Shapes.Format(query.shape)}.");
        var embedding = Table(scope);
        var dtype = Dtypes.Compute(Dtype, query, embedding);
        return nn.functional.linear(query.As(dtype), embedding.As(dtype));
    }

    private Tensor Table(Scope scope) => scope.Param("embedding", EmbeddingInit, [NumEmbeddings, Features], ParamDtype);
}
