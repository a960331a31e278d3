using System.Text;
using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>
/// The safetensors format (Hugging Face): a JSON header of names, dtypes, shapes and byte ranges, then the raw
/// little-endian row-major tensors. Tensor names are the tree's slash paths (<c>params/Dense_0/kernel</c>);
/// Hugging Face files use dotted names, which a loader maps with <c>mapName</c>, e.g.
/// <c>name =&gt; name.Replace('.', '/')</c>. Dtypes: F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL, C64.
/// </summary>
public static class Safetensors
{
    /// <summary>
    /// Writes <paramref name="tree"/> to <paramref name="path"/> atomically, laid out as the reference
    /// implementation lays it out (tensors ordered by descending dtype alignment, then by name).
    /// </summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="tree">The tensors, named by their paths.</param>
    /// <param name="metadata">Optional free-form strings, stored as <c>__metadata__</c>.</param>
    /// <exception cref="CheckpointException">A leaf's dtype has no safetensors code; the message names its path.</exception>
    public static void Save(string path, ParamTree tree, IReadOnlyDictionary<string, string>? metadata = null) =>
        AtomicFile.Write(path, stream => Write(stream, tree, metadata));

    /// <summary>The tensors of a safetensors file, as a tree keyed by their (mapped) names.</summary>
    /// <param name="path">The file.</param>
    /// <param name="mapName">Turns a stored name into a slash path; by default names are used as they are.</param>
    /// <exception cref="CheckpointException">The file is truncated or corrupt (the message names the byte offset),
    /// or two names map to clashing paths.</exception>
    public static ParamTree Load(string path, Func<string, string>? mapName = null)
    {
        using var stream = OpenRead(path);
        return Read(stream, $"'{path}'", mapName ?? (name => name));
    }

    /// <summary>The <c>__metadata__</c> strings of a safetensors file (empty when it has none).</summary>
    /// <exception cref="CheckpointException">The file is truncated or corrupt.</exception>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path)
    {
        using var stream = OpenRead(path);
        return SafetensorsHeader.Read(stream, $"'{path}'").Metadata;
    }

    internal static void Write(Stream stream, ParamTree tree, IReadOnlyDictionary<string, string>? metadata)
    {
        var leaves = tree.Flatten()
            .Select(kv => (Name: kv.Key, Tensor: kv.Value, Dtype: DtypeOf(kv.Key, kv.Value)))
            .OrderByDescending(l => l.Dtype.SafetensorsRank)
            .ThenBy(l => Encoding.UTF8.GetBytes(l.Name), Utf8Order.Instance)
            .ToList();
        var entries = new List<SafetensorsEntry>();
        long offset = 0;
        foreach (var (name, t, dtype) in leaves)
        {
            var end = offset + TensorBytes.Count(t);
            entries.Add(new SafetensorsEntry(name, dtype, t.shape, offset, end));
            offset = end;
        }
        stream.Write(SafetensorsHeader.Encode(entries, metadata));
        foreach (var leaf in leaves) TensorBytes.Write(stream, leaf.Tensor);
    }

    internal static ParamTree Read(Stream stream, string source, Func<string, string> mapName)
    {
        var (entries, _) = SafetensorsHeader.Read(stream, source);
        using var scope = NewDisposeScope();
        var builder = ParamTree.CreateBuilder();
        foreach (var e in entries)
        {
            var leaf = TensorBytes.Read(stream, e.Shape, e.Dtype.ScalarType);
            try { builder.Add(mapName(e.Name), leaf); }
            catch (ArgumentException error)
            {
                throw new CheckpointException($"Cannot read {source}: tensor '{e.Name}' cannot be placed in a tree ({error.Message}).", error);
            }
        }
        var tree = builder.ToImmutable();
        scope.MoveToOuter(tree.Leaves);
        return tree;
    }

    private static StorageDtype DtypeOf(string path, Tensor t) =>
        StorageDtype.ForScalarType(t.dtype) is { SafetensorsName: not null } dtype
            ? dtype
            : throw new CheckpointException($"Cannot save '{path}': dtype {t.dtype} has no safetensors code (supported: {StorageDtype.SafetensorsNames}).");

    private static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);

    // Rust orders String names by their UTF-8 bytes.
    private sealed class Utf8Order : IComparer<byte[]>
    {
        public static readonly Utf8Order Instance = new();
        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
