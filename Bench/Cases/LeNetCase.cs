using Linen.Bench.Baseline;
using Linen.Functional;
using Linen.Models;
using static TorchSharp.torch;

namespace Linen.Bench.Cases;

/// <summary>Case 2: LeNet-5 on 28×28×1, one training step at batch 128 and inference at batch 1024.</summary>
internal static class LeNetCase
{
    public static void Run(BenchOptions options, Report report)
    {
        Train(options, report);
        Infer(options, report);
    }

    private static void Train(BenchOptions options, Report report)
    {
        using var scope = NewDisposeScope();
        var (images, labels) = SyntheticData.Batch(2, [128, 28, 28, 1], 10);
        var model = new LeNet();
        var linen = new LinenTraining(model, images, labels, seed: 0);
        using var parameters = new TorchParams(linen.State.Params, trainable: true);
        var torchModel = new TorchLeNet(parameters);
        var nchw = SyntheticData.ToNchw(images);
        var agreement = Agreement.Note(model.Apply(linen.State.Variables, images), torchModel.Forward(nchw));
        using var baseline = new TorchTraining(torchModel.Forward, parameters.All, nchw, labels);
        var timing = Timing.Interleaved(linen.Step, baseline.Step, options);
        report.Add(ResultRow.Throughput("lenet", "train step, batch 128", "steps/s", timing, 1) with { Note = agreement });
    }

    private static void Infer(BenchOptions options, Report report)
    {
        const int batch = 1024;
        using var scope = NewDisposeScope();
        var (images, _) = SyntheticData.Batch(3, [batch, 28, 28, 1], 10);
        var model = new LeNet();
        var variables = model.Init(Linen.Prng.PrngKey.FromSeed(0), images);
        using var parameters = new TorchParams(variables.Params, trainable: false);
        var torchModel = new TorchLeNet(parameters);
        var nchw = SyntheticData.ToNchw(images);
        var agreement = Agreement.Note(model.Apply(variables, images), torchModel.Forward(nchw));
        var timing = Timing.Interleaved(
            () => { using var step = NewDisposeScope(); model.Apply(variables, images); },
            () => { using var step = NewDisposeScope(); using var noGrad = no_grad(); torchModel.Forward(nchw); },
            options);
        report.Add(ResultRow.Throughput("lenet", $"inference, batch {batch}", "images/s", timing, batch) with { Note = agreement });
    }
}
