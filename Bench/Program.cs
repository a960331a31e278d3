using Linen.Bench.Cases;
using Linen.Functional;

namespace Linen.Bench;

/// <summary>
/// The benchmark program: <c>dotnet run --project Bench -c Release -- [case…] [--threads N]</c> runs the cases of
/// issue 6 (all by default), prints a table and writes <c>artifacts/bench.json</c>; <c>-- prng [count]</c> prints
/// the PRNG table alone.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.FirstOrDefault() == "prng" && args.Skip(1).All(a => char.IsDigit(a[0])))
            return PrngBenchmark.Run(args[1..]);
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(BenchOptions.Usage);
            return 0;
        }
        var options = BenchOptions.Parse(args);
        if (options is null) return 2;

        Engine.SetThreads(options.Threads);
        Engine.EnsureStarted();
        var report = new Report(options);
        foreach (var name in options.Cases)
        {
            Console.WriteLine($"-- {name} (load average {ProcessStats.LoadAverage()})");
            Run(name, options, report);
        }
        report.PrintTable();
        report.WriteJson();
        return 0;
    }

    private static void Run(string name, BenchOptions options, Report report)
    {
        switch (name)
        {
            case "mlp": MlpCase.Run(options, report); break;
            case "lenet": LeNetCase.Run(options, report); break;
            case "vit-mnist": VitMnistCase.Run(options, report); break;
            case "vit-b16": VitBaseCase.Run(options, report); break;
            case "prng": PrngBenchmark.Run(report); break;
            case "memory": MemoryCase.Run(options, report); break;
            case "determinism": DeterminismCase.Run(options, report); break;
            default: throw new ArgumentException($"unknown case '{name}'", nameof(name));
        }
    }
}
