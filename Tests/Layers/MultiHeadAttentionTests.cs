using Linen.Layers;

namespace Linen.Tests.Layers;

/// <summary>MultiHeadAttention: MultiHeadDotProductAttention under Flax's older name.</summary>
public class MultiHeadAttentionTests : AttentionAliasContract<MultiHeadAttention>
{
    protected override MultiHeadAttention Wrap(MultiHeadDotProductAttention attention) => new(attention);

    protected override MultiHeadDotProductAttention Unwrap(MultiHeadAttention layer) => layer.Attention;
}
