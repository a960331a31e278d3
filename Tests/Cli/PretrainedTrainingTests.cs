using Linen.Cli.Training;
using Linen.Functional;
using Linen.Models;
using Linen.Tests.Models;
using Xunit;
using static TorchSharp.torch;

namespace Linen.Tests.Cli;

/// <summary>
/// <c>linen train --pretrained FILE</c> end to end, as the Flax fine-tuning tutorial uses it: a ViT pretrained on
/// 10 classes (a Hugging Face safetensors file, or the same weights as a Flax msgpack file) fine-tuned on an image
/// folder of 4 classes. The registry's ViT entry is used at 32×32 with a tiny configuration, so a run takes a second.
/// </summary>
public sealed class PretrainedTrainingTests : IDisposable
{
    private const int Side = 32;
    private readonly TempDirectory _dir = new();

    private static readonly ModelRegistry Registry = new([ModelRegistry.Vit("vit-test", "A 32×32 ViT: patch 8, width 16, 1 layer.", TinyVit, Side)]);

    public void Dispose() => _dir.Dispose();

    private static VisionTransformer TinyVit(int classes) =>
        new() { Classes = classes, PatchSize = 8, HiddenSize = 16, NumLayers = 1, NumHeads = 2, MlpDim = 32 };

    [Theory]
    [InlineData("vit.safetensors")]
    [InlineData("vit.msgpack")]
    public void FineTuningStartsFromThePretrainedBackboneAndAZeroHeadForTheFoldersClasses(string fileName)
    {
        using var _ = NewDisposeScope();
        var pretrained = WritePretrainedFiles();
        var file = _dir.File(fileName);
        var app = new TestApp();

        // Plain SGD at learning rate 0: the run takes its steps through the real training loop, but the checkpoint
        // it writes holds the parameters the run started from.
        var code = app.Run(Registry, "train", "--model", "vit-test", "--dataset", $"imagefolder:{SyntheticImages.WriteFolder(_dir.File("folder"), 10)}",
            "--pretrained", file, "--epochs", "1", "--batch-size", "8", "--optimizer", "sgd", "--momentum", "0", "--lr", "0",
            "--schedule", "constant", "--threads", "2", "--out", _dir.File("run"));

        Assert.True(code == 0, app.Error);
        Assert.Equal("", app.Error);
        Assert.Contains($"24 of 24 parameter arrays loaded from {file}", app.Out);
        var (tree, info) = TrainingCheckpoint.Load(_dir.File($"run/{TrainingCheckpoint.FileName}"));
        Assert.Equal(4, info.History.Epochs[0].Steps);
        var start = tree.Subtree(Variables.ParamsCollection);
        Assert.Equal(pretrained.Paths, start.Paths);
        foreach (var (path, value) in pretrained.Flatten().Where(kv => !kv.Key.StartsWith("head/", StringComparison.Ordinal)))
            Assert.True(Same(start[path], value), $"{path} differs from the pretrained file");
        Assert.Equal([16L, 4], start["head/kernel"].shape);
        Assert.Equal([4L], start["head/bias"].shape);
        Assert.True(start["head/kernel"].Eq(0).all().item<bool>() && start["head/bias"].Eq(0).all().item<bool>(), "the head is not zero");
    }

    [Fact]
    public void PretrainedFileOfAnotherModelSizeIsOneLineNamingTheMisfits()
    {
        using var _ = NewDisposeScope();
        var file = _dir.File("vit-mlp64.safetensors");
        Safetensors.Save(file, HuggingFaceVit.Weights(TinyVit(10) with { MlpDim = 64 }, Side, seed: 7));
        var app = new TestApp();

        var code = app.Run(Registry, "train", "--model", "vit-test", "--dataset", $"imagefolder:{SyntheticImages.WriteFolder(_dir.File("folder"), 2)}",
            "--pretrained", file, "--epochs", "1", "--batch-size", "4", "--out", _dir.File("run"));

        Assert.Equal(1, code);
        Assert.Equal(
            $"error: '{file}' does not fit ViT (patch 8, width 16, 1 layer, 2 heads, MLP 32, 4 classes): " +
            "'Transformer/encoderblock_0/MlpBlock_3/Dense_0/bias' has shape (64,), the model expects (32,); " +
            "'Transformer/encoderblock_0/MlpBlock_3/Dense_0/kernel' has shape (16, 64), the model expects (16, 32); " +
            "'Transformer/encoderblock_0/MlpBlock_3/Dense_1/kernel' has shape (64, 16), the model expects (32, 16).\n",
            app.Error);
        Assert.False(File.Exists(_dir.File($"run/{TrainingCheckpoint.FileName}")));
    }

    /// <summary>
    /// Writes <c>vit.safetensors</c> (Hugging Face names and layouts) and <c>vit.msgpack</c> (the same weights as Flax
    /// params) for a 10-class tiny ViT, and returns the weights in our names, checked against the file's tensors.
    /// </summary>
    private ParamTree WritePretrainedFiles()
    {
        var weights = HuggingFaceVit.Weights(TinyVit(10), Side, seed: 7);
        Safetensors.Save(_dir.File("vit.safetensors"), weights);
        var ours = VitImport.FromHuggingFace(_dir.File("vit.safetensors"), TinyVit(10));
        Checkpoint.Save(_dir.File("vit.msgpack"), Variables.FromParams(ours));

        Assert.True(Same(ours["cls"], weights["vit.embeddings.cls_token"]));
        Assert.True(Same(ours["embedding/kernel"], weights["vit.embeddings.patch_embeddings.projection.weight"].permute(2, 3, 1, 0)));
        Assert.True(Same(ours["Transformer/encoderblock_0/MultiHeadDotProductAttention_1/query/kernel"],
            weights["vit.encoder.layer.0.attention.attention.query.weight"].t().reshape(16, 2, 8)));
        Assert.True(Same(ours["head/kernel"], weights["classifier.weight"].t()));
        return ours;
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.allclose(b, rtol: 0, atol: 0);
}
