using Linen.Bench.Baseline;
using Linen.Functional;
using Linen.Models;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Bench.Cases;

/// <summary>Case 4: ViT-B/16 on 224×224×3: <c>Init</c> time, and inference at batch 1 and 8.</summary>
internal static class VitBaseCase
{
    public static void Run(BenchOptions options, Report report)
    {
        var model = VisionTransformer.Base16();
        using var scope = NewDisposeScope();
        var (sample, _) = SyntheticData.Batch(5, [1, 224, 224, 3], 1000);
        var init = Timing.Repeated(() => { using var s = NewDisposeScope(); model.Init(PrngKey.FromSeed(0), sample); }, runs: 3, warmupCalls: 1);
        report.Add(new ResultRow("vit-b16", "Init (86M params, 1 sample)", "s", init.SecondsPerCall, LinenFaults: init.FaultsPerCall));

        var variables = Agreement.WithRandomHead(model.Init(PrngKey.FromSeed(0), sample));
        using var parameters = new TorchParams(variables.Params, trainable: false);
        var torchModel = new TorchVit(parameters, model);
        foreach (var batch in (int[])[1, 8])
        {
            using var batchScope = NewDisposeScope();
            var (images, _) = SyntheticData.Batch(6, [batch, 224, 224, 3], 1000);
            var nchw = SyntheticData.ToNchw(images);
            var agreement = Agreement.Note(model.Apply(variables, images), torchModel.Forward(nchw, train: false));
            var timing = Timing.Interleaved(
                () => { using var step = NewDisposeScope(); model.Apply(variables, images); },
                () => { using var step = NewDisposeScope(); using var noGrad = no_grad(); torchModel.Forward(nchw, train: false); },
                options, warmupCalls: 1);
            report.Add(ResultRow.Throughput("vit-b16", $"inference, batch {batch}", "images/s", timing, batch) with { Note = agreement });
        }
    }
}
