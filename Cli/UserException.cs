namespace Linen.Cli;

/// <summary>A mistake or a missing resource the user can fix: printed as one red line, exit code <see cref="ExitCode"/>.</summary>
/// <param name="message">What is wrong and how to fix it.</param>
/// <param name="exitCode">The process exit code: 2 for bad usage, 1 otherwise.</param>
internal class UserException(string message, int exitCode = 1) : Exception(message)
{
    /// <summary>The exit code for bad usage (an unknown name or value), as for command-line parse errors.</summary>
    public const int Usage = 2;

    /// <summary>The process exit code.</summary>
    public int ExitCode { get; } = exitCode;
}
