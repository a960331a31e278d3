namespace Linen.Bench;

/// <summary>Benchmark dispatcher: <c>dotnet run --project Bench -c Release -- &lt;name&gt; [args]</c>.</summary>
internal static class Program
{
    private static int Main(string[] args) => args.FirstOrDefault() switch
    {
        "prng" => PrngBenchmark.Run(args[1..]),
        _ => Usage(),
    };

    private static int Usage()
    {
        Console.Error.WriteLine("usage: Linen.Bench prng [count]");
        return 2;
    }
}
