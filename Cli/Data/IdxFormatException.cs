namespace Linen.Cli.Data;

/// <summary>An IDX file that cannot be read: bad magic, unsupported type, truncated, or inconsistent with its partner file.</summary>
/// <param name="file">The file's path.</param>
/// <param name="offset">The byte offset (in the decompressed content) where the problem is.</param>
/// <param name="problem">What is wrong there.</param>
internal sealed class IdxFormatException(string file, long offset, string problem)
    : DataException($"{file}: {problem} (at byte {offset}).")
{
    /// <summary>The file's path.</summary>
    public string File { get; } = file;

    /// <summary>The byte offset of the problem, counted in the decompressed content.</summary>
    public long Offset { get; } = offset;
}
