using System.Diagnostics;
using Linen.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Linen.Bench.Cases;

/// <summary>Case 6: the resident set size before and after 10,000 LeNet training steps at a small batch.</summary>
internal static class MemoryCase
{
    // The process settles over its first 10,000-30,000 steps before its RSS stays flat: one run gave +5-7 MiB between
    // steps 200 and 10,200, under 1 MiB over the next 10,000; another +9.3 MiB over steps 10,000-20,000, +4.8 MiB over
    // 20,000-30,000, then within ±1.3 MiB over each 10,000 up to step 70,000 (live tensors constant throughout). The
    // measured steps start after 30,000 warm-up steps.
    private const int Batch = 8, Warmup = 30_000, Steps = 10_000;

    public static void Run(BenchOptions options, Report report)
    {
        using var scope = NewDisposeScope();
        var (images, labels) = SyntheticData.Batch(8, [Batch, 28, 28, 1], 10);
        var training = new LinenTraining(new LeNet(), images, labels, seed: 0);
        for (int i = 0; i < Warmup; i++) training.Step();
        var (before, liveBefore) = Measure();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < Steps; i++) training.Step();
        var seconds = clock.Elapsed.TotalSeconds;
        var (after, liveAfter) = Measure();
        var what = $"LeNet, batch {Batch}";
        report.Add(new ResultRow("memory", $"RSS before {Steps:N0} steps, {what}", "MiB", before, Note: $"after {Warmup} warm-up steps"));
        report.Add(new ResultRow("memory", $"RSS after {Steps:N0} steps", "MiB", after, Note: $"{Steps / seconds:F0} steps/s"));
        report.Add(new ResultRow("memory", "RSS growth", "MiB", after - before, Note: $"live tensors {liveBefore} -> {liveAfter}"));
    }

    private static (double ResidentMiB, long LiveTensors) Measure()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return (ProcessStats.ResidentMiB(), DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
