using System.Diagnostics;
using Linen.Cli.Training;
using Spectre.Console;

namespace Linen.Cli.Reporting;

/// <summary>Shows training on the console: a live progress bar per epoch (loss, steps/s, ETA) and a line per finished epoch.</summary>
/// <param name="console">The console.</param>
internal sealed class ConsoleObserver(IAnsiConsole console) : ITrainingObserver
{
    /// <inheritdoc/>
    public void Note(string line) => console.MarkupLineInterpolated($"[yellow]{line}[/]");

    /// <inheritdoc/>
    public T Epoch<T>(int epoch, int epochs, int steps, Func<Action<int, double>, T> body) =>
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new RemainingTimeColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask($"epoch {epoch}/{epochs}", maxValue: steps);
                var clock = Stopwatch.StartNew();
                return body((step, loss) =>
                {
                    task.Value = step + 1;
                    task.Description = $"epoch {epoch}/{epochs}  loss {loss:F4}  {(step + 1) / clock.Elapsed.TotalSeconds:F1} steps/s";
                });
            });

    /// <inheritdoc/>
    public void EpochDone(EpochMetrics metrics, int epochs, TimeSpan elapsed) =>
        console.MarkupLineInterpolated(
            $"epoch {metrics.Epoch}/{epochs}: train loss {metrics.TrainLoss:F4}, train accuracy {Formats.Percent(metrics.TrainAccuracy)}, [bold]test accuracy {Formats.Percent(metrics.TestAccuracy)}[/] ({elapsed.TotalSeconds:F1} s)");
}
