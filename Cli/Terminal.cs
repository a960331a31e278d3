using Spectre.Console;

namespace Linen.Cli;

/// <summary>Where the program writes: standard output for results, standard error for errors.</summary>
/// <param name="Out">Results, tables and progress.</param>
/// <param name="Error">Error lines.</param>
/// <param name="OutWriter">The raw output stream (System.CommandLine writes its help there).</param>
/// <param name="ErrorWriter">The raw error stream (System.CommandLine writes its parse errors there).</param>
internal sealed record Terminal(IAnsiConsole Out, IAnsiConsole Error, TextWriter OutWriter, TextWriter ErrorWriter)
{
    /// <summary>The process's console, with colours and live progress where the terminal supports them.</summary>
    public static Terminal System() => new(
        AnsiConsole.Console,
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }),
        Console.Out,
        Console.Error);

    /// <summary>Plain text writers without colours or live rendering (tests, logs).</summary>
    public static Terminal Plain(TextWriter output, TextWriter error) => new(Create(output), Create(error), output, error);

    private static IAnsiConsole Create(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        // Wide enough that tables and error lines are never wrapped.
        console.Profile.Width = 240;
        return console;
    }
}
