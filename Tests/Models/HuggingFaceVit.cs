using Linen.Functional;
using Linen.Models;
using static TorchSharp.torch;

namespace Linen.Tests.Models;

/// <summary>
/// A synthetic Hugging Face <c>ViTForImageClassification</c> state dict: the real tensor names and PyTorch layouts
/// (linear weights <c>(out, in)</c>, the patch convolution OIHW) for a configuration, with random values.
/// </summary>
internal static class HuggingFaceVit
{
    /// <summary>The weights of <paramref name="model"/>'s configuration for <paramref name="side"/>×<paramref name="side"/> images, drawn from <paramref name="seed"/>.</summary>
    public static ParamTree Weights(VisionTransformer model, int side, int seed)
    {
        var (width, mlp, patch) = (model.HiddenSize, model.MlpDim, model.PatchSize);
        var g = new Generator((ulong)seed);
        var tree = ParamTree.Empty;
        void Add(string name, params long[] shape) => tree = tree.SetItem(name, randn(shape, generator: g).Mul(0.3));
        Add("vit.embeddings.cls_token", 1, 1, width);
        Add("vit.embeddings.position_embeddings", 1, (side / patch) * (side / patch) + 1, width);
        Add("vit.embeddings.patch_embeddings.projection.weight", width, 3, patch, patch);
        Add("vit.embeddings.patch_embeddings.projection.bias", width);
        for (int i = 0; i < model.NumLayers; i++)
        {
            var p = $"vit.encoder.layer.{i}.";
            foreach (var norm in (string[])["layernorm_before", "layernorm_after"]) { Add(p + norm + ".weight", width); Add(p + norm + ".bias", width); }
            foreach (var proj in (string[])["query", "key", "value"]) { Add(p + $"attention.attention.{proj}.weight", width, width); Add(p + $"attention.attention.{proj}.bias", width); }
            Add(p + "attention.output.dense.weight", width, width); Add(p + "attention.output.dense.bias", width);
            Add(p + "intermediate.dense.weight", mlp, width); Add(p + "intermediate.dense.bias", mlp);
            Add(p + "output.dense.weight", width, mlp); Add(p + "output.dense.bias", width);
        }
        Add("vit.layernorm.weight", width); Add("vit.layernorm.bias", width);
        Add("classifier.weight", model.Classes, width); Add("classifier.bias", model.Classes);
        return tree;
    }
}
