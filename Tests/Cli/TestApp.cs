using Linen.Cli;
using Linen.Cli.Data;
using Linen.Cli.Training;

namespace Linen.Tests.Cli;

/// <summary>Runs the <c>linen</c> program in-process with captured output.</summary>
internal sealed class TestApp
{
    /// <summary>A registry with one small model for 28×28 grey images.</summary>
    public static readonly ModelRegistry Registry = new(
    [
        new ModelSpec("tiny", "A two-layer test classifier.", classes => new TinyClassifier(classes), 28, 28, 1, Normalization.UnitRange),
    ]);

    private readonly StringWriter _out = new();
    private readonly StringWriter _error = new();

    /// <summary>Standard output so far.</summary>
    public string Out => _out.ToString();

    /// <summary>Standard error so far.</summary>
    public string Error => _error.ToString();

    /// <summary>Runs the program with <paramref name="args"/> and returns its exit code.</summary>
    public int Run(params string[] args) => new LinenApp(Registry, Terminal.Plain(_out, _error)).Run(args);
}
