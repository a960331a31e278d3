using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>
/// Encodes a tree exactly as <c>flax.serialization.to_bytes</c> encodes the same dict: one msgpack map per subtree
/// with string keys in the tree's (ordinal) order, every leaf an extension of type 1 whose payload is msgpack
/// <c>[shape, dtype name, row-major little-endian bytes]</c>, and leaves over <c>maxChunkBytes</c> split as
/// <c>_chunk_array_leaves_in_place</c> splits them.
/// </summary>
internal sealed class FlaxStateEncoder(MsgpackWriter writer, long maxChunkBytes)
{
    /// <summary>Writes <paramref name="tree"/> as one top-level map.</summary>
    /// <exception cref="CheckpointException">A leaf has a dtype the format cannot store; the message names its path.</exception>
    public void Write(ParamTree tree) => WriteTree(tree, "");

    private void WriteTree(ParamTree tree, string prefix)
    {
        writer.WriteMapHeader(tree.Keys.Count());
        foreach (var (key, value) in tree)
        {
            var path = prefix.Length == 0 ? key : prefix + "/" + key;
            writer.WriteString(key);
            if (value is ParamTree subtree) WriteTree(subtree, path);
            else WriteLeaf((Tensor)value, path);
        }
    }

    private void WriteLeaf(Tensor leaf, string path)
    {
        var dtype = StorageDtype.ForScalarType(leaf.dtype)
            ?? throw new CheckpointException($"Cannot save '{path}': dtype {leaf.dtype} has no Flax msgpack name (supported: {StorageDtype.NumpyNames}).");
        if (TensorBytes.Count(leaf) > maxChunkBytes) WriteChunked(leaf, dtype);
        else WriteNdarray(leaf, dtype);
    }

    // flax.serialization._chunk: a map marking the array as chunked, its shape as a map of ints, and the flattened
    // array cut into pieces of max(1, maxChunkBytes / itemsize) elements.
    private void WriteChunked(Tensor leaf, StorageDtype dtype)
    {
        var chunkElements = Math.Max(1, maxChunkBytes / dtype.ItemSize);
        var count = leaf.numel();
        writer.WriteMapHeader(3);
        writer.WriteString(FlaxExtType.ChunkedArrayMarker);
        writer.WriteBool(true);
        writer.WriteString("shape");
        WriteIndexedMap(leaf.shape.Length, i => writer.WriteInt(leaf.shape[i]));
        writer.WriteString("chunks");
        using var scope = NewDisposeScope();
        var flat = leaf.reshape(-1);
        WriteIndexedMap((count + chunkElements - 1) / chunkElements, i =>
            WriteNdarray(flat.narrow(0, i * chunkElements, Math.Min(chunkElements, count - i * chunkElements)), dtype));
    }

    // flax.serialization._tuple_to_dict: {'0': x0, '1': x1, ...}.
    private void WriteIndexedMap(long count, Action<long> writeValue)
    {
        writer.WriteMapHeader(count);
        for (long i = 0; i < count; i++)
        {
            writer.WriteString(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            writeValue(i);
        }
    }

    // The payload's header is built first so that the extension header can state the payload's full length.
    private void WriteNdarray(Tensor leaf, StorageDtype dtype)
    {
        var elementBytes = TensorBytes.Count(leaf);
        using var header = new MemoryStream();
        var inner = new MsgpackWriter(header);
        inner.WriteArrayHeader(3);
        inner.WriteArrayHeader(leaf.shape.Length);
        foreach (var dim in leaf.shape) inner.WriteInt(dim);
        inner.WriteString(dtype.NumpyName);
        inner.WriteBinHeader(elementBytes);
        writer.WriteExtHeader(FlaxExtType.Ndarray, header.Length + elementBytes);
        writer.WriteRaw(header.GetBuffer().AsSpan(0, (int)header.Length));
        TensorBytes.Write(writer.Stream, leaf);
    }
}
