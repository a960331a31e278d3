using Linen.Bench.Baseline;
using Linen.Models;
using static TorchSharp.torch;

namespace Linen.Bench.Cases;

/// <summary>Case 3: the ViT-MNIST preset (patch 4, width 64, 4 layers, 4 heads, MLP 128, dropout 0.1), one training step at batch 128.</summary>
internal static class VitMnistCase
{
    public static void Run(BenchOptions options, Report report)
    {
        using var scope = NewDisposeScope();
        var (images, labels) = SyntheticData.Batch(4, [128, 28, 28, 1], 10);
        var model = VisionTransformer.Mnist();
        var variables = Agreement.WithRandomHead(model.Init(Linen.Prng.PrngKey.FromSeed(0), images));
        var linen = new LinenTraining(model, images, labels, seed: 0, variables);
        using var parameters = new TorchParams(linen.State.Params, trainable: true);
        var torchModel = new TorchVit(parameters, model);
        var nchw = SyntheticData.ToNchw(images);
        var agreement = Agreement.Note(model.Apply(linen.State.Variables, images), torchModel.Forward(nchw, train: false));
        using var baseline = new TorchTraining(x => torchModel.Forward(x, train: true), parameters.All, nchw, labels);
        var timing = Timing.Interleaved(linen.Step, baseline.Step, options, warmupCalls: 5);
        report.Add(ResultRow.Throughput("vit-mnist", "train step, batch 128", "steps/s", timing, 1) with { Note = agreement });
    }
}
