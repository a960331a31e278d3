using System.Text.Json;
using Linen.Cli.Training;

namespace Linen.Cli.Reporting;

/// <summary>
/// <c>metrics.json</c>: the run's settings, per-epoch metrics and loss curve. It holds no timings, so two runs
/// with the same seed and thread count write identical files.
/// </summary>
internal static class MetricsFile
{
    /// <summary>The file name in a run's output directory.</summary>
    public const string FileName = "metrics.json";

    /// <summary>Writes the file for <paramref name="info"/> (atomically: a temporary file, then a rename).</summary>
    public static void Write(string path, CheckpointInfo info, int threads)
    {
        var document = new
        {
            info.Model,
            info.Dataset,
            info.Seed,
            Threads = threads,
            info.BatchSize,
            info.Optimizer,
            info.Augment,
            info.Epochs,
            History = info.History.Epochs,
            LossCurve = info.History.LossCurve,
        };
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(document, CheckpointInfo.Json) + "\n");
        File.Move(temporary, path, overwrite: true);
    }
}
