using System.Text.RegularExpressions;
using static TorchSharp.torch;

namespace Linen.Models;

public static partial class VitImport
{
    /// <summary>
    /// Our parameter path for a Hugging Face ViT tensor name, or null when there is none. Names of a bare
    /// <c>ViTModel</c> (e.g. <c>google/vit-base-patch16-224-in21k</c>) lack the <c>vit.</c> prefix that
    /// <c>ViTForImageClassification</c> puts before the backbone; both are accepted.
    /// </summary>
    internal static string? MapHuggingFaceName(string name)
    {
        if (name.StartsWith(BackbonePrefix, StringComparison.Ordinal)) name = name[BackbonePrefix.Length..];
        var block = BlockName().Match(name);
        if (block.Success)
        {
            var prefix = $"Transformer/encoderblock_{block.Groups[1].Value}/";
            var leaf = block.Groups[3].Value == "weight" ? "kernel" : "bias";
            return block.Groups[2].Value switch
            {
                "layernorm_before" => prefix + "LayerNorm_0/" + NormLeaf(leaf),
                "layernorm_after" => prefix + "LayerNorm_2/" + NormLeaf(leaf),
                "attention.attention.query" => prefix + "MultiHeadDotProductAttention_1/query/" + leaf,
                "attention.attention.key" => prefix + "MultiHeadDotProductAttention_1/key/" + leaf,
                "attention.attention.value" => prefix + "MultiHeadDotProductAttention_1/value/" + leaf,
                "attention.output.dense" => prefix + "MultiHeadDotProductAttention_1/out/" + leaf,
                "intermediate.dense" => prefix + "MlpBlock_3/Dense_0/" + leaf,
                "output.dense" => prefix + "MlpBlock_3/Dense_1/" + leaf,
                _ => null,
            };
        }
        return name switch
        {
            "embeddings.cls_token" => "cls",
            "embeddings.position_embeddings" => "Transformer/posembed_input/pos_embedding",
            "embeddings.patch_embeddings.projection.weight" => "embedding/kernel",
            "embeddings.patch_embeddings.projection.bias" => "embedding/bias",
            "layernorm.weight" => "Transformer/encoder_norm/scale",
            "layernorm.bias" => "Transformer/encoder_norm/bias",
            "classifier.weight" => "head/kernel",
            "classifier.bias" => "head/bias",
            _ => null,
        };
    }

    /// <summary>
    /// Converts a PyTorch-layout tensor to ours: linear weights <c>(out, in)</c> transpose to kernels <c>(in, out)</c>,
    /// query/key/value kernels split their outputs into <c>(heads, head_dim)</c>, the attention output kernel its
    /// inputs; the patch convolution goes from OIHW to HWIO.
    /// </summary>
    internal static Tensor ToFlaxLayout(string path, Tensor value, int heads)
    {
        var projection = path.Contains("/query/") || path.Contains("/key/") || path.Contains("/value/");
        if (path == "embedding/kernel") return value.permute(2, 3, 1, 0).contiguous();
        if (path.EndsWith("/out/kernel", StringComparison.Ordinal))
            return value.t().reshape(heads, -1, value.shape[0]).contiguous();
        if (projection && path.EndsWith("/kernel", StringComparison.Ordinal))
            return value.t().reshape(value.shape[1], heads, -1).contiguous();
        if (projection) return value.reshape(heads, -1).contiguous();
        if (path.EndsWith("/kernel", StringComparison.Ordinal)) return value.t().contiguous();
        return value;
    }

    /// <summary>Whether the tensor is a <c>ViTModel</c>'s pooler (dense + tanh before a classifier), which our ViT does not have.</summary>
    internal static bool IsPooler(string name) =>
        name.StartsWith("pooler.", StringComparison.Ordinal) || name.StartsWith(BackbonePrefix + "pooler.", StringComparison.Ordinal);

    private const string BackbonePrefix = "vit.";

    private static string NormLeaf(string leaf) => leaf == "kernel" ? "scale" : "bias";

    [GeneratedRegex(@"^encoder\.layer\.(\d+)\.(.+)\.(weight|bias)$")]
    private static partial Regex BlockName();
}
