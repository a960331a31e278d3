using Linen.Functional;
using Linen.Layers;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Models;

/// <summary>
/// One pre-norm Transformer block: <c>x + Dropout(MHA(LayerNorm(x)))</c>, then <c>y + MLP(LayerNorm(y))</c>.
/// Submodule names follow the reference ViT checkpoints (<c>LayerNorm_0</c>, <c>MultiHeadDotProductAttention_1</c>,
/// <c>LayerNorm_2</c>, <c>MlpBlock_3</c>), which were written when Flax counted auto-names across types.
/// </summary>
/// <param name="NumHeads">The attention heads.</param>
/// <param name="MlpDim">The hidden width of the MLP.</param>
public sealed record EncoderBlock(int NumHeads, int MlpDim) : Module
{
    /// <summary>Dropout after attention and inside the MLP.</summary>
    public double DropoutRate { get; init; } = 0.1;

    /// <summary>Dropout on the attention weights.</summary>
    public double AttentionDropoutRate { get; init; }

    /// <summary>The epsilon of both layer norms.</summary>
    public double LayerNormEpsilon { get; init; } = 1e-6;

    /// <summary>Use the exact GELU in the MLP.</summary>
    public bool ExactGelu { get; init; }

    /// <summary>Runs the block on <paramref name="input"/> <c>(batch, length, width)</c>.</summary>
    public override Tensor Call(Scope scope, Tensor input)
    {
        var x = scope.Call(new LayerNorm { Epsilon = LayerNormEpsilon, Name = "LayerNorm_0" }, input);
        x = scope.Call(new MultiHeadDotProductAttention(NumHeads)
        {
            KernelInit = Initializers.GlorotUniform(),
            DropoutRate = AttentionDropoutRate,
            Name = "MultiHeadDotProductAttention_1",
        }, x);
        x = scope.Call(new Dropout(DropoutRate), x).Add(input);
        var y = scope.Call(new LayerNorm { Epsilon = LayerNormEpsilon, Name = "LayerNorm_2" }, x);
        return x.Add(scope.Call(new MlpBlock(MlpDim) { DropoutRate = DropoutRate, ExactGelu = ExactGelu, Name = "MlpBlock_3" }, y));
    }
}
