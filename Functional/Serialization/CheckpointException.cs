namespace Linen.Functional;

/// <summary>
/// A checkpoint could not be written or read: a corrupt or truncated file, an unsupported dtype, or a stored tree
/// whose structure, shapes or dtypes differ from the target's. The message names the file, the byte offset or the
/// tree path, and what was expected.
/// </summary>
public sealed class CheckpointException : LinenException
{
    /// <summary>Creates the error with its full message.</summary>
    public CheckpointException(string message) : base(message) { }

    /// <summary>Creates the error with its full message and the underlying cause.</summary>
    public CheckpointException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Bytes that do not decode: names the source, the byte offset and, when known, the tree path.</summary>
    internal static CheckpointException Corrupt(string source, long offset, string treePath, string problem) =>
        new($"Cannot read {source} at byte offset {offset}{InPath(treePath)}: {problem}.");

    /// <summary>A decoded tree that does not fit the target: names the source and the tree path.</summary>
    internal static CheckpointException Mismatch(string source, string treePath, string problem) =>
        new($"Cannot restore {source} into the target at '{treePath}': {problem}.");

    private static string InPath(string treePath) => treePath.Length == 0 ? "" : $" (tree path '{treePath}')";
}
