using Linen.Functional;
using Linen.Layers;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Models;

/// <summary>
/// The Vision Transformer (Dosovitskiy et al. 2020) as in the Flax tutorial and google-research/vision_transformer:
/// a strided <c>embedding</c> convolution cuts the image into patches, a learned <c>cls</c> token is prepended,
/// a pre-norm <see cref="TransformerEncoder"/> (<c>Transformer</c>) runs over the sequence, and the <c>head</c>
/// classifies the CLS token. Parameter names follow the reference checkpoints, so they import directly.
/// </summary>
public sealed record VisionTransformer : Module
{
    /// <summary>The number of classes of the head.</summary>
    public int Classes { get; init; } = 1000;

    /// <summary>The side of the square patches.</summary>
    public int PatchSize { get; init; } = 16;

    /// <summary>The width of the token embeddings.</summary>
    public int HiddenSize { get; init; } = 768;

    /// <summary>The number of encoder blocks.</summary>
    public int NumLayers { get; init; } = 12;

    /// <summary>The number of attention heads.</summary>
    public int NumHeads { get; init; } = 12;

    /// <summary>The hidden width of each block's MLP.</summary>
    public int MlpDim { get; init; } = 3072;

    /// <summary>Dropout after the position embeddings and inside the blocks (active only in training).</summary>
    public double DropoutRate { get; init; } = 0.1;

    /// <summary>Dropout on the attention weights.</summary>
    public double AttentionDropoutRate { get; init; }

    /// <summary>The epsilon of every layer norm (Flax's 1e-6; Hugging Face's ViT uses 1e-12).</summary>
    public double LayerNormEpsilon { get; init; } = 1e-6;

    /// <summary>Use the exact (erf) GELU in the MLPs, as Hugging Face's ViT does, instead of Flax's tanh approximation.</summary>
    public bool ExactGelu { get; init; }

    /// <summary>ViT-Ti/16: width 192, 12 layers, 3 heads, MLP 768.</summary>
    public static VisionTransformer Tiny16(int classes = 1000) => new() { Classes = classes, HiddenSize = 192, NumHeads = 3, MlpDim = 768 };

    /// <summary>ViT-S/16: width 384, 12 layers, 6 heads, MLP 1536.</summary>
    public static VisionTransformer Small16(int classes = 1000) => new() { Classes = classes, HiddenSize = 384, NumHeads = 6, MlpDim = 1536 };

    /// <summary>ViT-B/16 (the tutorial's defaults): width 768, 12 layers, 12 heads, MLP 3072; 224×224×3 inputs.</summary>
    public static VisionTransformer Base16(int classes = 1000) => new() { Classes = classes };

    /// <summary>ViT-L/16: width 1024, 24 layers, 16 heads, MLP 4096.</summary>
    public static VisionTransformer Large16(int classes = 1000) =>
        new() { Classes = classes, HiddenSize = 1024, NumLayers = 24, NumHeads = 16, MlpDim = 4096 };

    /// <summary>A small ViT for 28×28×1 MNIST: patch 4, width 64, 4 layers, 4 heads, MLP 128, dropout 0.1.</summary>
    public static VisionTransformer Mnist(int classes = 10) =>
        new() { Classes = classes, PatchSize = 4, HiddenSize = 64, NumLayers = 4, NumHeads = 4, MlpDim = 128 };

    /// <summary>Maps NHWC images <c>(batch, height, width, channels)</c> to logits <c>(batch, Classes)</c>.</summary>
    /// <exception cref="InputShapeException">The input is not NHWC, or its sides are not multiples of the patch size.</exception>
    public override Tensor Call(Scope scope, Tensor input)
    {
        if (input.ndim != 4 || input.size(1) % PatchSize != 0 || input.size(2) % PatchSize != 0)
            throw scope.ShapeError(this,
                $"expected NHWC input whose height and width are multiples of the patch size {PatchSize}, got shape {Shapes.Format(input.shape)}.");
        var patches = scope.Call(new Conv(HiddenSize, [PatchSize, PatchSize])
            { Strides = [PatchSize, PatchSize], Padding = Padding.Valid, Name = "embedding" }, input);
        var batch = patches.size(0);
        var tokens = patches.reshape(batch, -1, HiddenSize);
        var cls = scope.Param("cls", Initializers.Zeros, [1, 1, HiddenSize]);
        tokens = cat([cls.expand(batch, 1, HiddenSize), tokens], 1);
        var encoder = new TransformerEncoder(NumLayers, NumHeads, MlpDim)
        {
            DropoutRate = DropoutRate,
            AttentionDropoutRate = AttentionDropoutRate,
            LayerNormEpsilon = LayerNormEpsilon,
            ExactGelu = ExactGelu,
            Name = "Transformer",
        };
        var encoded = scope.Call(encoder, tokens);
        return scope.Call(new Dense(Classes) { KernelInit = Initializers.Zeros, Name = "head" }, encoded.select(1, 0));
    }
}
