using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Linen.Bench;

/// <summary>One line of the report.</summary>
/// <param name="Case">The case, e.g. <c>mlp</c>.</param>
/// <param name="Metric">What was measured, e.g. <c>train step, batch 128</c>.</param>
/// <param name="Unit">The unit of the values (<c>steps/s</c>, <c>MiB</c>, …).</param>
/// <param name="Linen">Linen's value.</param>
/// <param name="Baseline">The hand-written TorchSharp baseline's value, where there is one.</param>
/// <param name="TimeRatio">Linen's wall time over the baseline's (below 1: Linen is faster).</param>
/// <param name="CpuRatio">Linen's process CPU time over the baseline's.</param>
/// <param name="LinenFaults">Linen's minor page faults per call.</param>
/// <param name="BaselineFaults">The baseline's minor page faults per call.</param>
/// <param name="Note">Anything else (hashes, the block size).</param>
internal sealed record ResultRow(
    string Case, string Metric, string Unit, double Linen, double? Baseline = null, double? TimeRatio = null, double? CpuRatio = null,
    double? LinenFaults = null, double? BaselineFaults = null, string? Note = null)
{
    /// <summary>A throughput row from a paired timing of calls that each process <paramref name="items"/> items.</summary>
    public static ResultRow Throughput(string @case, string metric, string unit, PairedTiming t, int items) =>
        new(@case, metric, unit, items / t.Linen.SecondsPerCall, items / t.Baseline.SecondsPerCall, t.Ratio, t.CpuRatio,
            t.Linen.FaultsPerCall, t.Baseline.FaultsPerCall, $"{t.CallsPerBlock} calls per block");
}

/// <summary>Collects rows, prints each as it comes and the whole table at the end, and writes the JSON file.</summary>
internal sealed class Report(BenchOptions options)
{
    private readonly List<ResultRow> _rows = [];
    private readonly string _loadAtStart = ProcessStats.LoadAverage();
    private readonly DateTime _started = DateTime.UtcNow;

    public void Add(ResultRow row)
    {
        _rows.Add(row);
        Console.WriteLine(Format(row));
    }

    public void PrintTable()
    {
        Console.WriteLine();
        Console.WriteLine($"Linen.Bench: {Environment.ProcessorCount} cores, {options.Threads} LibTorch threads, median of {options.Runs} runs; " +
            $"load average {_loadAtStart} at start, {ProcessStats.LoadAverage()} at end; malloc tuning {(MallocTuned ? "on" : "off")}");
        Console.WriteLine(Header);
        Console.WriteLine(new string('-', Header.Length));
        foreach (var row in _rows) Console.WriteLine(Format(row));
    }

    public void WriteJson()
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(options.OutPath));
        if (directory is not null) Directory.CreateDirectory(directory);
        var document = new
        {
            started = _started,
            cores = Environment.ProcessorCount,
            threads = options.Threads,
            runs = options.Runs,
            mallocTuning = MallocTuned,
            loadAverageStart = _loadAtStart,
            loadAverageEnd = ProcessStats.LoadAverage(),
            torch = TorchSharp.torch.__version__,
            rows = _rows,
        };
        File.WriteAllText(options.OutPath, JsonSerializer.Serialize(document, JsonOptions));
        Console.WriteLine($"wrote {options.OutPath}");
    }

    private static bool MallocTuned => Environment.GetEnvironmentVariable("LINEN_NO_MALLOC_TUNING") != "1";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly string Header =
        $"{"case",-12} {"metric",-34} {"Linen",12} {"baseline",12} {"unit",-9} {"L/B time",8} {"L/B cpu",8} {"faults/call L",13} {"B",8}  note";

    private static string Format(ResultRow r) =>
        $"{r.Case,-12} {r.Metric,-34} {Number(r.Linen),12} {Number(r.Baseline),12} {r.Unit,-9} {Fixed(r.TimeRatio, "F3"),8} {Fixed(r.CpuRatio, "F3"),8} " +
        $"{Fixed(r.LinenFaults, "F0"),13} {Fixed(r.BaselineFaults, "F0"),8}  {r.Note}";

    private static string Number(double? v) => v switch
    {
        null => "",
        var x when Math.Abs(x.Value) >= 1e6 => x.Value.ToString("E3", CultureInfo.InvariantCulture),
        var x when Math.Abs(x.Value) >= 100 => x.Value.ToString("F0", CultureInfo.InvariantCulture),
        var x => x.Value.ToString("G4", CultureInfo.InvariantCulture),
    };

    private static string Fixed(double? v, string format) => v?.ToString(format, CultureInfo.InvariantCulture) ?? "";
}
