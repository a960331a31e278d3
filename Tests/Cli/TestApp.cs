using Linen.Cli;
using Linen.Cli.Data;
using Linen.Cli.Reporting;
using Linen.Cli.Training;

namespace Linen.Tests.Cli;

/// <summary>Runs the <c>linen</c> program in-process with captured output.</summary>
/// <param name="stopAfterEpoch">Interrupt training after this epoch (as a crash or Ctrl-C would), or null.</param>
internal sealed class TestApp(int? stopAfterEpoch = null)
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
    public int Run(params string[] args) => Run(Registry, args);

    /// <summary>Runs the program with another model registry.</summary>
    public int Run(ModelRegistry registry, params string[] args) =>
        new LinenApp(registry, Terminal.Plain(_out, _error), console => new Interrupting(new ConsoleObserver(console), stopAfterEpoch)).Run(args);

    private sealed class Interrupting(ITrainingObserver inner, int? stopAfterEpoch) : ITrainingObserver
    {
        public void Note(string line) => inner.Note(line);

        public T Epoch<T>(int epoch, int epochs, int steps, Func<Action<int, double>, T> body) => inner.Epoch(epoch, epochs, steps, body);

        public void EpochDone(EpochMetrics metrics, int epochs, TimeSpan elapsed)
        {
            inner.EpochDone(metrics, epochs, elapsed);
            if (metrics.Epoch == stopAfterEpoch) throw new UserException($"interrupted after epoch {metrics.Epoch}");
        }
    }
}
