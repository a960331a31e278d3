using System.Diagnostics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Linen.Prng;

namespace Linen.Bench;

/// <summary>
/// Throughput of the threefry2x32 PRNG: 32-bit words/s and normal samples/s, for the plain scalar loop (one thread)
/// against the vectorised path (one thread, then all cores). Median of several timed runs after warm-up.
/// </summary>
internal static class PrngBenchmark
{
    /// <summary>The PRNG table on its own: <c>Linen.Bench prng [count]</c>.</summary>
    internal static int Run(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : DefaultCount;
        Console.WriteLine($"threefry2x32 benchmark: n = {n:N0}, {Environment.ProcessorCount} cores, AVX2 {Avx2.IsSupported}, " +
            $"AVX-512VL {Avx512F.VL.IsSupported}, Vector512 accelerated {Vector512.IsHardwareAccelerated}; median of {Runs} runs after {Warmup} warm-ups");
        Console.WriteLine($"{"what",-46} {"count",10} {"median ms",10} {"per second",14}");
        Measure(n, (name, count, median) => Console.WriteLine($"{name,-46} {count,10} {median * 1e3,10:F2} {count / median,14:E3}"));
        return 0;
    }

    /// <summary>Case 5 of the full benchmark: every row of the table, as report rows.</summary>
    internal static void Run(Report report) =>
        Measure(DefaultCount, (name, count, median) => report.Add(new ResultRow("prng", name, "per s", count / median, Note: $"n = {count}")));

    private const int DefaultCount = 1 << 24, Warmup = 2, Runs = 7;

    /// <summary>Times each row (median of <see cref="Runs"/> after <see cref="Warmup"/>) and hands it to <paramref name="row"/>.</summary>
    private static void Measure(int n, Action<string, int, double> row)
    {
        var key = PrngKey.FromSeed(42);
        var words = new uint[n];
        var floats = new float[n];

        int tn = Math.Max(1, n / 16); // the tensor path is slow on the CPU; time it on fewer elements
        var rows = new (string Name, int Count, Action Body)[]
        {
            ("bits32  scalar loop, 1 thread", n, () => Threefry2x32.HashIotaXorScalar(key.K0, key.K1, 0u, 0u, words)),
            ("bits32  vectorised, 1 thread", n, () => Threefry2x32.HashIotaXor(key.K0, key.K1, 0u, 0u, words)),
            ("bits32  vectorised, all cores", n, () => RandomBits.Generate(key, words, null)),
            ("bits32  legacy, vectorised, 1 thread", n, () => Threefry2x32.HashIota(key.K0, key.K1, 0u, 1u, (uint)(n / 2), words.AsSpan(0, n / 2), words.AsSpan(n / 2))),
            ("bits32  legacy, vectorised, all cores", n, () => RandomBits.Generate(key with { Mode = ThreefryMode.Legacy }, words, null)),
            ("normal  scalar loop, 1 thread", n, () => Sample.NormalScalarInto(key, floats)),
            ("normal  vectorised, 1 thread", n, () => InSequentialSlices(floats, s => Sample.NormalInto(key, s))),
            ("normal  vectorised, all cores", n, () => Sample.NormalInto(key, floats)),
            ("uniform vectorised, all cores, into a buffer", n, () => Sample.UniformInto(key, floats, 0f, 1f)),
            ("uniform Sample.Uniform (allocates the result)", n, () => _ = Sample.Uniform(key, n)),
            ("bits32  TorchSharp int32 tensors, CPU", tn, () => TensorBits(key, tn)),
            ("normal  TorchSharp tensors, CPU", tn, () => TensorNormal(key, tn)),
        };

        foreach (var (name, count, body) in rows)
        {
            for (int i = 0; i < Warmup; i++)
            {
                body();
            }

            var times = new double[Runs];
            for (int i = 0; i < Runs; i++)
            {
                var sw = Stopwatch.StartNew();
                body();
                times[i] = sw.Elapsed.TotalSeconds;
            }

            Array.Sort(times);
            row(name, count, times[Runs / 2]);
        }
    }

    // Below the parallel threshold the driver stays on the calling thread: this times vectors without threads.
    private static void InSequentialSlices(float[] buffer, Action<Span<float>> body)
    {
        for (int s = 0; s < buffer.Length; s += RandomBits.ChunkSize)
        {
            body(buffer.AsSpan(s, Math.Min(RandomBits.ChunkSize, buffer.Length - s)));
        }
    }

    // The on-device tensor path, run on the CPU: it decides which path TensorSample uses on the CPU.
    private static void TensorBits(PrngKey key, int n)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        _ = Linen.Functional.TensorSample.OnDevice.Bits(key, n, TorchSharp.torch.CPU);
    }

    private static void TensorNormal(PrngKey key, int n)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        _ = Linen.Functional.TensorSample.OnDevice.Normal(key, n, TorchSharp.torch.CPU);
    }
}
