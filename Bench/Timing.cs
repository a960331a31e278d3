using System.Diagnostics;

namespace Linen.Bench;

/// <summary>
/// One side of a measurement: the median wall time of one call, the median process CPU time of one call (all threads:
/// less sensitive than wall time to other processes on a shared machine) and the minor page faults per call.
/// </summary>
internal sealed record SideTiming(double SecondsPerCall, double CpuSecondsPerCall, double FaultsPerCall);

/// <summary>Linen against the baseline, timed in alternating blocks so that both see the same machine load.</summary>
/// <param name="Linen">Linen's median.</param>
/// <param name="Baseline">The baseline's median.</param>
/// <param name="Ratio">The median over runs of Linen's block time divided by the baseline's neighbouring block time.</param>
/// <param name="CpuRatio">The same for CPU time.</param>
/// <param name="CallsPerBlock">Calls in each timed block.</param>
internal sealed record PairedTiming(SideTiming Linen, SideTiming Baseline, double Ratio, double CpuRatio, int CallsPerBlock);

/// <summary>Warm-up, then medians of repeated timed blocks.</summary>
internal static class Timing
{
    /// <summary>
    /// Warms both up, sizes a block to about <see cref="BenchOptions.BlockSeconds"/>, then times
    /// <see cref="BenchOptions.Runs"/> pairs of blocks, alternating which side goes first. The warm-up is at least
    /// <paramref name="warmupCalls"/> calls each and 3 s: .NET's tiered JIT recompiles hot methods after 30 calls,
    /// and glibc's heap grows for the first dozens of calls (every new tensor a page fault; ~100 calls of LeNet
    /// inference at batch 1024) before it settles into reusing freed blocks.
    /// </summary>
    public static PairedTiming Interleaved(Action linen, Action baseline, BenchOptions options, int warmupCalls = 20)
    {
        var warmup = Stopwatch.StartNew();
        for (int i = 0; i < warmupCalls || warmup.Elapsed.TotalSeconds < 3; i++)
        {
            linen();
            baseline();
        }
        var single = Math.Max(Block(linen, 1).Seconds, Block(baseline, 1).Seconds);
        var calls = Math.Max(1, (int)Math.Round(options.BlockSeconds / single));
        var (linenRuns, baselineRuns) = (new Sample[options.Runs], new Sample[options.Runs]);
        var (ratios, cpuRatios) = (new double[options.Runs], new double[options.Runs]);
        for (int r = 0; r < options.Runs; r++)
        {
            if (r % 2 == 0)
            {
                linenRuns[r] = Block(linen, calls);
                baselineRuns[r] = Block(baseline, calls);
            }
            else
            {
                baselineRuns[r] = Block(baseline, calls);
                linenRuns[r] = Block(linen, calls);
            }
            ratios[r] = linenRuns[r].Seconds / baselineRuns[r].Seconds;
            cpuRatios[r] = linenRuns[r].CpuSeconds / baselineRuns[r].CpuSeconds;
        }
        return new PairedTiming(Summarise(linenRuns, calls), Summarise(baselineRuns, calls), Median(ratios), Median(cpuRatios), calls);
    }

    /// <summary>The median of <paramref name="runs"/> timed calls after <paramref name="warmupCalls"/> untimed ones.</summary>
    public static SideTiming Repeated(Action body, int runs, int warmupCalls = 1)
    {
        for (int i = 0; i < warmupCalls; i++) body();
        var samples = new Sample[runs];
        for (int r = 0; r < runs; r++) samples[r] = Block(body, 1);
        return Summarise(samples, 1);
    }

    private readonly record struct Sample(double Seconds, double CpuSeconds, long Faults);

    private static Sample Block(Action body, int calls)
    {
        var faults = ProcessStats.PageFaults().Minor;
        var cpu = Environment.CpuUsage.TotalTime;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < calls; i++) body();
        var seconds = clock.Elapsed.TotalSeconds;
        return new Sample(seconds, (Environment.CpuUsage.TotalTime - cpu).TotalSeconds, ProcessStats.PageFaults().Minor - faults);
    }

    private static SideTiming Summarise(Sample[] runs, int calls) => new(
        Median([.. runs.Select(r => r.Seconds)]) / calls, Median([.. runs.Select(r => r.CpuSeconds)]) / calls,
        Median([.. runs.Select(r => (double)r.Faults)]) / calls);

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
