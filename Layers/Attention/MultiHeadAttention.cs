using Linen.Functional;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Layers;

/// <summary>
/// <c>flax.linen.MultiHeadAttention</c>: the same layer as <see cref="MultiHeadDotProductAttention"/> under another
/// auto-name (<c>MultiHeadAttention_k</c>), which changes parameter paths and keys, so checkpoints of models that
/// used this name load unchanged.
/// </summary>
/// <param name="Attention">The attention's hyperparameters (its own name is not used).</param>
public sealed record MultiHeadAttention(MultiHeadDotProductAttention Attention) : Module
{
    /// <summary>Self-attention on <paramref name="input"/>.</summary>
    /// <inheritdoc cref="Attend"/>
    public override Tensor Call(Scope scope, Tensor input) => Attend(scope, input);

    /// <inheritdoc cref="MultiHeadDotProductAttention.Attend"/>
    public Tensor Attend(Scope scope, Tensor inputsQ, Tensor? inputsK = null, Tensor? inputsV = null, Tensor? mask = null, PrngKey? dropoutRng = null) =>
        AttentionCore.Run(Attention, this, scope, inputsQ, inputsK, inputsV, mask, dropoutRng);
}
