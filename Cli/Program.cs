using Linen.Cli.Training;
using Linen.Functional;

namespace Linen.Cli;

/// <summary>The <c>linen</c> program.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        Engine.EnsureStarted(); // first, so Linen's native-runtime settings precede LibTorch's load
        return new LinenApp(ModelRegistry.Default, Terminal.System()).Run(args);
    }
}
