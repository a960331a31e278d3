using Linen.Functional;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Models;

/// <summary>Adds a learned <c>pos_embedding</c> <c>(1, length, width)</c> to a token sequence.</summary>
public sealed record AddPositionEmbeddings : Module
{
    /// <summary>The initializer of the embeddings (default truncated normal, stddev 0.02).</summary>
    public Initializer EmbeddingInit { get; init; } = Initializers.TruncatedNormal(0.02f);

    /// <summary>Adds the embeddings to <paramref name="input"/> <c>(batch, length, width)</c>.</summary>
    public override Tensor Call(Scope scope, Tensor input) =>
        input.Add(scope.Param("pos_embedding", EmbeddingInit, [1, input.size(1), input.size(2)]));
}
