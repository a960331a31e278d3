using Linen.Functional;
using Linen.Models;
using Linen.Prng;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Linen.Tests.Models;

/// <summary>
/// Pretrained ViT import, tested on synthetic files that use the real Hugging Face key names and PyTorch layouts
/// (<c>ViTForImageClassification</c>) for a tiny configuration, against a forward pass written directly on them.
/// </summary>
public sealed class VitImportTests : IDisposable
{
    private const int Width = 8, Heads = 2, Layers = 2, Mlp = 16, Patch = 4, Side = 8, Classes = 3;
    private readonly string _dir = Directory.CreateTempSubdirectory("linen-vit-").FullName;

    private static readonly VisionTransformer Model = new()
    {
        Classes = Classes, PatchSize = Patch, HiddenSize = Width, NumLayers = Layers, NumHeads = Heads, MlpDim = Mlp,
        LayerNormEpsilon = 1e-12, ExactGelu = true,
    };

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ParamTree HuggingFaceWeights() => HuggingFaceVit.Weights(Model, Side, seed: 7);

    /// <summary>Hugging Face's ViT forward pass, written directly on its tensors (NCHW conv, PyTorch linear layers).</summary>
    private static Tensor ReferenceForward(ParamTree w, Tensor imagesNhwc)
    {
        Tensor W(string name) => w[name];
        Tensor Norm(Tensor x, string p) => nn.functional.layer_norm(x, [Width], W(p + ".weight"), W(p + ".bias"), 1e-12);
        var patches = nn.functional.conv2d(imagesNhwc.permute(0, 3, 1, 2), W("vit.embeddings.patch_embeddings.projection.weight"),
            W("vit.embeddings.patch_embeddings.projection.bias"), strides: [Patch, Patch]);
        var b = imagesNhwc.shape[0];
        var x = cat([W("vit.embeddings.cls_token").expand(b, 1, Width), patches.flatten(2).transpose(1, 2)], 1)
                .Add(W("vit.embeddings.position_embeddings"));
        for (int i = 0; i < Layers; i++)
        {
            var p = $"vit.encoder.layer.{i}.";
            var h = Norm(x, p + "layernorm_before");
            Tensor Project(string n) => nn.functional.linear(h, W(p + $"attention.attention.{n}.weight"), W(p + $"attention.attention.{n}.bias"))
                .reshape(b, -1, Heads, Width / Heads).permute(0, 2, 1, 3);
            var (q, k, v) = (Project("query"), Project("key"), Project("value"));
            var attention = einsum("bhqd,bhkd->bhqk", q, k).Div(Math.Sqrt(Width / Heads)).softmax(-1);
            var context = einsum("bhqk,bhkd->bhqd", attention, v).permute(0, 2, 1, 3).reshape(b, -1, Width);
            x = x.Add(nn.functional.linear(context, W(p + "attention.output.dense.weight"), W(p + "attention.output.dense.bias")));
            h = Norm(x, p + "layernorm_after");
            h = nn.functional.gelu(nn.functional.linear(h, W(p + "intermediate.dense.weight"), W(p + "intermediate.dense.bias")));
            x = x.Add(nn.functional.linear(h, W(p + "output.dense.weight"), W(p + "output.dense.bias")));
        }
        x = Norm(x, "vit.layernorm");
        return nn.functional.linear(x.select(1, 0), W("classifier.weight"), W("classifier.bias"));
    }

    [Fact]
    public void HuggingFaceWeightsGiveHuggingFaceOutputs()
    {
        using var _ = NewDisposeScope();
        var weights = HuggingFaceWeights();
        var file = Path.Combine(_dir, "model.safetensors");
        Safetensors.Save(file, weights);
        var parameters = VitImport.FromHuggingFace(file, Model);
        var images = rand(2, Side, Side, 3, generator: new Generator(3));
        var ours = Model.Apply(Variables.FromParams(parameters), images);
        var reference = ReferenceForward(weights, images);
        Assert.Equal(new long[] { 2, Classes }, ours.shape);
        Assert.True(ours.allclose(reference, rtol: 1e-4, atol: 1e-5), $"max difference {(ours - reference).abs().max().item<float>()}");
    }

    [Fact]
    public void ReplacingTheHeadFineTunesToNewClasses()
    {
        using var _ = NewDisposeScope();
        var file = Path.Combine(_dir, "model.safetensors");
        Safetensors.Save(file, HuggingFaceWeights());
        var parameters = VitImport.FromHuggingFace(file, Model with { Classes = 5 }, replaceHead: true);
        Assert.Equal(new long[] { Width, 5 }, parameters["head/kernel"].shape);
        Assert.True(parameters["head/kernel"].Eq(0).all().item<bool>());
    }

    [Fact]
    public void MisfitsAreReportedByName()
    {
        using var _ = NewDisposeScope();
        var weights = HuggingFaceWeights()
            .Remove("vit.encoder.layer.1.output.dense.bias")
            .SetItem("vit.pooler.dense.weight", zeros(Width, Width))
            .SetItem("classifier.weight", zeros(5, Width));
        var file = Path.Combine(_dir, "bad.safetensors");
        Safetensors.Save(file, weights);
        var e = Assert.Throws<CheckpointException>(() => VitImport.FromHuggingFace(file, Model));
        Assert.Equal($"'{file}' does not fit ViT (patch 4, width 8, 2 layers, 2 heads, MLP 16, 3 classes): " +
                     "unexpected 'vit.pooler.dense.weight'; missing 'Transformer/encoderblock_1/MlpBlock_3/Dense_1/bias' (8,); " +
                     "'head/kernel' has shape (8, 5), the model expects (8, 3).", e.Message);
    }

    [Fact]
    public void AFileOfAnotherWidthNamesTheFirstMisfitsAndCountsTheRest()
    {
        using var _ = NewDisposeScope();
        var file = Path.Combine(_dir, "wide.safetensors");
        Safetensors.Save(file, HuggingFaceVit.Weights(Model with { HiddenSize = 2 * Width }, Side, seed: 7));
        var e = Assert.Throws<CheckpointException>(() => VitImport.FromHuggingFace(file, Model));
        Assert.StartsWith($"'{file}' does not fit ViT (patch 4, width 8, 2 layers, 2 heads, MLP 16, 3 classes): " +
                          "'Transformer/encoder_norm/bias' has shape (16,), the model expects (8,); ", e.Message);
        var listed = e.Message.Split("; ");
        Assert.Equal(7, listed.Length);
        Assert.Equal("… and 31 more.", listed[^1]);
    }

    [Fact]
    public void ABareViTModelFileWithAPoolerFineTunesLikeTheClassifierFile()
    {
        using var _ = NewDisposeScope();
        var classifierFile = Path.Combine(_dir, "classifier.safetensors");
        var weights = HuggingFaceWeights();
        Safetensors.Save(classifierFile, weights);
        // ViTModel: the backbone without the "vit." prefix, a pooler, no classifier.
        var bare = ParamTree.Unflatten(weights.Flatten()
                .Where(kv => !kv.Key.StartsWith("classifier.", StringComparison.Ordinal))
                .Select(kv => KeyValuePair.Create(kv.Key["vit.".Length..], kv.Value)))
            .SetItem("pooler.dense.weight", ones(Width, Width)).SetItem("pooler.dense.bias", ones(Width));
        var bareFile = Path.Combine(_dir, "bare.safetensors");
        Safetensors.Save(bareFile, bare);

        var expected = VitImport.FromHuggingFace(classifierFile, Model, replaceHead: true);
        var actual = VitImport.FromHuggingFace(bareFile, Model, replaceHead: true);

        Assert.Equal(expected.Paths, actual.Paths);
        Assert.All(expected.Paths, p => Assert.True(expected[p].eq(actual[p]).all().item<bool>(), p));
        var e = Assert.Throws<CheckpointException>(() => VitImport.FromHuggingFace(bareFile, Model));
        Assert.Contains("unexpected 'pooler.dense.weight'", e.Message);  // kept unless the head is replaced
        Assert.Contains("unexpected 'pooler.dense.bias'", e.Message);
    }

    [Fact]
    public void FlaxCheckpointsLoadAsTheyAre()
    {
        using var _ = NewDisposeScope();
        var variables = Model.Init(PrngKey.FromSeed(1), zeros(1, Side, Side, 3));
        var file = Path.Combine(_dir, "vit.msgpack");
        Checkpoint.Save(file, variables);
        var loaded = VitImport.FromFlaxCheckpoint(file, Model);
        Assert.True(ParamTree.AllClose(variables.Params, loaded, 0, 0));
    }

    [Fact]
    public void ReplacingTheHeadWorksForABackboneWithoutOne()
    {
        using var _ = NewDisposeScope();
        var backbone = Model.Init(PrngKey.FromSeed(1), zeros(1, Side, Side, 3)).Params.Remove("head");
        var file = Path.Combine(_dir, "backbone.msgpack");
        Checkpoint.Save(file, backbone);

        var parameters = VitImport.FromFlaxCheckpoint(file, Model with { Classes = 5 }, replaceHead: true);

        Assert.True(ParamTree.AllClose(backbone, parameters.Remove("head"), 0, 0));
        Assert.Equal(new long[] { Width, 5 }, parameters["head/kernel"].shape);
        Assert.True(parameters["head/kernel"].Eq(0).all().item<bool>() && parameters["head/bias"].Eq(0).all().item<bool>());
    }
}
