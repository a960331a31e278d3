using Linen.Functional;
using Linen.Layers;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Models;

/// <summary>
/// The ViT encoder: learned position embeddings (<c>posembed_input/pos_embedding</c>, truncated normal 0.02),
/// dropout, <see cref="NumLayers"/> pre-norm <see cref="EncoderBlock"/>s (<c>encoderblock_i</c>) and a final
/// <c>encoder_norm</c>.
/// </summary>
/// <param name="NumLayers">The number of blocks.</param>
/// <param name="NumHeads">The attention heads per block.</param>
/// <param name="MlpDim">The hidden width of each block's MLP.</param>
public sealed record TransformerEncoder(int NumLayers, int NumHeads, int MlpDim) : Module
{
    /// <summary>Dropout after the position embeddings and inside the blocks.</summary>
    public double DropoutRate { get; init; } = 0.1;

    /// <summary>Dropout on the attention weights.</summary>
    public double AttentionDropoutRate { get; init; }

    /// <summary>The epsilon of every layer norm.</summary>
    public double LayerNormEpsilon { get; init; } = 1e-6;

    /// <summary>Use the exact GELU in the MLPs.</summary>
    public bool ExactGelu { get; init; }

    /// <summary>Encodes <paramref name="input"/> <c>(batch, length, width)</c>; same shape out.</summary>
    /// <exception cref="InputShapeException">The input is not <c>(batch, length, width)</c>.</exception>
    public override Tensor Call(Scope scope, Tensor input)
    {
        if (input.ndim != 3) throw scope.ShapeError(this, $"expected (batch, length, width), got shape {Shapes.Format(input.shape)}.");
        var x = scope.Call(new AddPositionEmbeddings { Name = "posembed_input" }, input);
        x = scope.Call(new Dropout(DropoutRate), x);
        for (int i = 0; i < NumLayers; i++)
        {
            x = scope.Call(new EncoderBlock(NumHeads, MlpDim)
            {
                DropoutRate = DropoutRate,
                AttentionDropoutRate = AttentionDropoutRate,
                LayerNormEpsilon = LayerNormEpsilon,
                ExactGelu = ExactGelu,
                Name = $"encoderblock_{i}",
            }, x);
        }
        return scope.Call(new LayerNorm { Epsilon = LayerNormEpsilon, Name = "encoder_norm" }, x);
    }
}
