using System.CommandLine;
using Linen.Cli.Commands;
using Linen.Cli.Reporting;
using Linen.Cli.Training;
using Linen.Functional;
using Spectre.Console;

namespace Linen.Cli;

/// <summary>
/// The command tree of <c>linen</c> and its error policy: an error the user can act on (bad option, missing
/// data, corrupt checkpoint, CUDA unavailable) is one red line on standard error and a non-zero exit code;
/// the stack trace only with <c>--verbose</c>.
/// </summary>
/// <param name="models">The models known by name.</param>
/// <param name="terminal">Where output and errors go.</param>
/// <param name="observers">Makes what shows training progress on a console (default: <see cref="ConsoleObserver"/>).</param>
internal sealed class LinenApp(ModelRegistry models, Terminal terminal, Func<IAnsiConsole, ITrainingObserver>? observers = null)
{
    /// <summary>The exit code of an unexpected failure (a bug, or an engine error the program does not anticipate).</summary>
    public const int InternalError = 70;

    /// <summary>The models known by name.</summary>
    public ModelRegistry Models { get; } = models;

    /// <summary>Where output and errors go.</summary>
    public Terminal Terminal { get; } = terminal;

    /// <summary>Makes what shows training progress.</summary>
    public Func<IAnsiConsole, ITrainingObserver> Observers { get; } = observers ?? (console => new ConsoleObserver(console));

    /// <summary>Parses <paramref name="args"/>, runs the command and returns the exit code.</summary>
    public int Run(string[] args)
    {
        var root = new RootCommand("Linen: train, evaluate and inspect Flax-style models on MNIST and image folders.")
        {
            TrainCommand.Create(this),
            EvalCommand.Create(this),
            SummaryCommand.Create(this),
            PredictCommand.Create(this),
        };
        root.Options.Add(CommonOptions.Verbose);
        return root.Parse(args).Invoke(new InvocationConfiguration
        {
            Output = Terminal.OutWriter,
            Error = Terminal.ErrorWriter,
            EnableDefaultExceptionHandler = false,
        });
    }

    /// <summary>Runs a command's body under the error policy.</summary>
    public int Guard(ParseResult parse, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e)
        {
            var (message, code) = e switch
            {
                UserException user => (user.Message, user.ExitCode),
                LinenException or IOException or UnauthorizedAccessException => (e.Message, 1),
                _ => ($"unexpected {e.GetType().Name}: {e.Message}", InternalError),
            };
            Terminal.Error.MarkupLineInterpolated($"[red]error:[/] [red]{message}[/]");
            if (parse.GetValue(CommonOptions.Verbose)) Terminal.Error.WriteException(e);
            else if (code == InternalError) Terminal.Error.MarkupLine("[grey](run with --verbose for the stack trace)[/]");
            return code;
        }
    }
}
