using Spectre.Console;

namespace Linen.Cli;

/// <summary>Where the program writes: standard output for results, standard error for errors.</summary>
/// <param name="Out">Results, tables and progress.</param>
/// <param name="Error">Error lines.</param>
/// <param name="OutWriter">The raw output stream (System.CommandLine writes its help there).</param>
/// <param name="ErrorWriter">The raw error stream (System.CommandLine writes its parse errors there).</param>
internal sealed record Terminal(IAnsiConsole Out, IAnsiConsole Error, TextWriter OutWriter, TextWriter ErrorWriter)
{
    // An error is one line however long: Spectre would otherwise wrap it at the console width (80 when redirected).
    private const int ErrorWidth = 4096;

    // Wide enough that tables (e.g. a ViT summary) are never wrapped.
    private const int TableWidth = 240;

    /// <summary>The process's console, with colours and live progress where the terminal supports them.</summary>
    public static Terminal System()
    {
        var error = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        error.Profile.Width = ErrorWidth;
        var output = AnsiConsole.Console;
        // A log file has no width: Spectre would assume 80 columns and wrap every table cell.
        if (Console.IsOutputRedirected) output.Profile.Width = TableWidth;
        return new(output, error, Console.Out, Console.Error);
    }

    /// <summary>Plain text writers without colours or live rendering (tests, logs).</summary>
    public static Terminal Plain(TextWriter output, TextWriter error)
    {
        var errorConsole = Create(error);
        errorConsole.Profile.Width = ErrorWidth;
        return new(Create(output), errorConsole, output, error);
    }

    private static IAnsiConsole Create(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = TableWidth;
        return console;
    }
}
