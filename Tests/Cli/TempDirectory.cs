namespace Linen.Tests.Cli;

/// <summary>A fresh temporary directory, deleted with its content on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    /// <summary>The directory's path.</summary>
    public string Path { get; } = Directory.CreateTempSubdirectory("linen-tests-").FullName;

    /// <summary>A path inside the directory.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
