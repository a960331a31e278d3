using Linen.Functional;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Layers;

/// <summary>
/// Self-attention (<c>flax.linen.SelfAttention</c>, which Flax deprecates in favour of calling
/// <see cref="MultiHeadDotProductAttention"/> with the query alone): the same computation and parameters
/// (<c>query</c>, <c>key</c>, <c>value</c>, <c>out</c> directly under this module), auto-named <c>SelfAttention_k</c>.
/// </summary>
/// <param name="Attention">The attention's hyperparameters (its own name is not used).</param>
public sealed record SelfAttention(MultiHeadDotProductAttention Attention) : Module
{
    /// <summary>Attends from <paramref name="input"/> <c>[batch…, length, features]</c> to itself.</summary>
    /// <inheritdoc cref="Attend"/>
    public override Tensor Call(Scope scope, Tensor input) => Attend(scope, input);

    /// <summary>
    /// Attends from <paramref name="input"/> to itself; <paramref name="mask"/> broadcasts to
    /// <c>[batch…, heads, length, length]</c> and is zero where attention is blocked.
    /// </summary>
    /// <exception cref="InputShapeException">The heads do not divide the features, or the input or mask do not fit.</exception>
    /// <exception cref="MissingRngException">Attention dropout is active and no <c>dropout</c> key was given.</exception>
    public Tensor Attend(Scope scope, Tensor input, Tensor? mask = null, PrngKey? dropoutRng = null) =>
        AttentionCore.Run(Attention, this, scope, input, null, null, mask, dropoutRng);
}
