using Linen.Functional;
using Linen.Models;
using static TorchSharp.torch;

namespace Linen.Bench.Cases;

/// <summary>
/// Case 7: two runs of 200 training steps from the same seed with the same thread count must give bit-identical
/// parameters. LeNet covers convolutions and pooling; the ViT-MNIST preset covers attention and dropout keys.
/// </summary>
internal static class DeterminismCase
{
    private const int Steps = 200;

    public static void Run(BenchOptions options, Report report)
    {
        Check(report, "LeNet, batch 32", new LeNet(), batch: 32);
        Check(report, "ViT-MNIST, batch 16", VisionTransformer.Mnist(), batch: 16);
    }

    private static void Check(Report report, string what, Module model, int batch)
    {
        var (first, second) = (Train(model, batch), Train(model, batch));
        report.Add(new ResultRow("determinism", $"{Steps} steps twice, {what}", "identical", first == second ? 1 : 0,
            Note: $"params sha256 {first} / {second}"));
    }

    private static string Train(Module model, int batch)
    {
        using var scope = NewDisposeScope();
        var (images, labels) = SyntheticData.Batch(9, [batch, 28, 28, 1], 10);
        var training = new LinenTraining(model, images, labels, seed: 0);
        for (int i = 0; i < Steps; i++) training.Step();
        return ParamHash.Of(training.State.Params);
    }
}
