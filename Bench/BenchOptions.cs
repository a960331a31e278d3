using System.Globalization;

namespace Linen.Bench;

/// <summary>The command line of the benchmark program: the cases to run and how to measure them.</summary>
/// <param name="Cases">The case names, in order (all when none is named).</param>
/// <param name="Threads">LibTorch's intra-op thread count, pinned for the whole run.</param>
/// <param name="Runs">Timed repetitions per measurement; the median is reported.</param>
/// <param name="BlockSeconds">
/// The target length of one timed block (several calls of a fast case). Many short alternating blocks (21 of 0.1 s)
/// follow the load of a shared machine more closely than a few long ones: LeNet's training ratio spread 1.05–1.15 over
/// three runs with 7 blocks of 0.25 s, and 1.10–1.15 with 25 of 0.1 s.
/// </param>
/// <param name="OutPath">Where the JSON report goes.</param>
internal sealed record BenchOptions(IReadOnlyList<string> Cases, int Threads, int Runs, double BlockSeconds, string OutPath)
{
    /// <summary>Every case, in the order of the issue.</summary>
    public static readonly string[] AllCases = ["mlp", "lenet", "vit-mnist", "vit-b16", "prng", "memory", "determinism"];

    public const string Usage =
        "usage: Linen.Bench [case…] [--threads N] [--runs N] [--block-seconds S] [--out PATH]\n" +
        "       Linen.Bench prng [count]      (the PRNG table only)\n" +
        "cases: mlp lenet vit-mnist vit-b16 prng memory determinism (default: all)";

    /// <summary>Parses the arguments; null (after printing why) when they are not understood.</summary>
    public static BenchOptions? Parse(string[] args)
    {
        var cases = new List<string>();
        int threads = 2, runs = 21;
        double blockSeconds = 0.1;
        var outPath = "artifacts/bench.json";
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value");
            try
            {
                switch (args[i])
                {
                    case "--threads": threads = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--runs": runs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--block-seconds": blockSeconds = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--out": outPath = Next(); break;
                    case var name when AllCases.Contains(name): cases.Add(name); break;
                    default: throw new FormatException($"unknown argument '{args[i]}'");
                }
            }
            catch (FormatException e)
            {
                Console.Error.WriteLine($"{e.Message}\n{Usage}");
                return null;
            }
        }
        if (threads < 1 || runs < 1 || blockSeconds <= 0)
        {
            Console.Error.WriteLine($"--threads and --runs must be at least 1 and --block-seconds positive.\n{Usage}");
            return null;
        }
        return new BenchOptions(cases.Count == 0 ? AllCases : cases, threads, runs, blockSeconds, outPath);
    }
}
