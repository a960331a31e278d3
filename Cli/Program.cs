using Linen.Cli.Training;

namespace Linen.Cli;

/// <summary>The <c>linen</c> program.</summary>
internal static class Program
{
    private static int Main(string[] args) => new LinenApp(ModelRegistry.Default, Terminal.System()).Run(args);
}
