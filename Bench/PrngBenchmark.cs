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
    internal static int Run(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1 << 24;
        const int warmup = 2, runs = 7;
        var key = PrngKey.FromSeed(42);
        var words = new uint[n];
        var floats = new float[n];

        Console.WriteLine($"threefry2x32 benchmark: n = {n:N0}, {Environment.ProcessorCount} cores, AVX2 {Avx2.IsSupported}, " +
            $"AVX-512VL {Avx512F.VL.IsSupported}, Vector512 accelerated {Vector512.IsHardwareAccelerated}; median of {runs} runs after {warmup} warm-ups");
        Console.WriteLine($"{"what",-40} {"median ms",10} {"per second",14}");

        var rows = new (string Name, Action Body)[]
        {
            ("bits32  scalar loop, 1 thread", () => Threefry2x32.HashIotaXorScalar(key.K0, key.K1, 0u, 0u, words)),
            ("bits32  vectorised, 1 thread", () => Threefry2x32.HashIotaXor(key.K0, key.K1, 0u, 0u, words)),
            ("bits32  vectorised, all cores", () => RandomBits.Generate(key, words, null)),
            ("bits32  legacy, vectorised, all cores", () => RandomBits.Generate(key with { Mode = ThreefryMode.Legacy }, words, null)),
            ("normal  scalar loop, 1 thread", () => Sample.NormalScalarInto(key, floats)),
            ("normal  vectorised, all cores", () => Sample.NormalInto(key, floats)),
            ("uniform vectorised, all cores (Sample.Uniform)", () => _ = Sample.Uniform(key, n)),
            ("bits32  TorchSharp int32 tensors, CPU", () => TensorBits(key, n)),
            ("normal  TorchSharp tensors, CPU", () => TensorNormal(key, n)),
        };

        foreach (var (name, body) in rows)
        {
            for (int i = 0; i < warmup; i++)
            {
                body();
            }

            var times = new double[runs];
            for (int i = 0; i < runs; i++)
            {
                var sw = Stopwatch.StartNew();
                body();
                times[i] = sw.Elapsed.TotalSeconds;
            }

            Array.Sort(times);
            double median = times[runs / 2];
            Console.WriteLine($"{name,-40} {median * 1e3,10:F2} {n / median,14:E3}");
        }

        return 0;
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
