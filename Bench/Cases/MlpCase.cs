using Linen.Bench.Baseline;
using Linen.Models;
using static TorchSharp.torch;

namespace Linen.Bench.Cases;

/// <summary>Case 1: the MNIST MLP 784-300-300-10 with SELU, one training step at batch 128.</summary>
internal static class MlpCase
{
    public static void Run(BenchOptions options, Report report)
    {
        using var scope = NewDisposeScope();
        var (inputs, labels) = SyntheticData.Batch(1, [128, 784], 10);
        var model = new Mlp();
        var linen = new LinenTraining(model, inputs, labels, seed: 0);
        using var parameters = new TorchParams(linen.State.Params, trainable: true);
        var torchModel = new TorchMlp(parameters, layers: 3);
        var agreement = Agreement.Note(model.Apply(linen.State.Variables, inputs), torchModel.Forward(inputs));
        using var baseline = new TorchTraining(torchModel.Forward, parameters.All, inputs, labels);
        var timing = Timing.Interleaved(linen.Step, baseline.Step, options);
        report.Add(ResultRow.Throughput("mlp", "train step, batch 128", "steps/s", timing, 1) with { Note = agreement });
    }
}
