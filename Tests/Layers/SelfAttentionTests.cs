using Linen.Layers;

namespace Linen.Tests.Layers;

/// <summary>SelfAttention: MultiHeadDotProductAttention's computation and layout under Flax's SelfAttention name.</summary>
public class SelfAttentionTests : AttentionAliasContract<SelfAttention>
{
    protected override SelfAttention Wrap(MultiHeadDotProductAttention attention) => new(attention);

    protected override MultiHeadDotProductAttention Unwrap(SelfAttention layer) => layer.Attention;
}
