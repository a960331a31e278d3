namespace Linen.Functional;

/// <summary>
/// Flax's msgpack checkpoint format (<c>flax.serialization.to_bytes</c> / <c>from_bytes</c> /
/// <c>msgpack_restore</c>): byte-for-byte what Flax writes for the same dict, and readable by Flax.
/// </summary>
/// <remarks>
/// Maps are written in the tree's ordinal key order. Flax writes dict insertion order, which is that same order
/// for every dict that went through a JAX tree operation (an optimizer update, <c>jax.jit</c>,
/// <c>jax.tree_util.tree_map</c>); a freshly initialised Flax model lists <c>kernel</c> before <c>bias</c>, so its
/// bytes differ in order only. Reading accepts any order. Stored dtypes: float32, float16, bfloat16, float64,
/// int8, int16, int32, int64, uint8, bool, complex64, complex128. Plain numbers in a file (a Python <c>int</c>
/// step count, say) are read as 0-d int64 or float64 tensors, booleans as 0-d bool tensors.
/// </remarks>
public static class FlaxMsgpack
{
    /// <summary>
    /// Arrays larger than this many bytes are written in chunks (<c>flax.serialization.MAX_CHUNK_SIZE</c>, 2^30),
    /// because a msgpack object holds at most 2^31 - 1 bytes.
    /// </summary>
    public const long MaxChunkBytes = 1L << 30;

    /// <summary>The msgpack bytes of a tree, as <c>flax.serialization.to_bytes</c> writes the same dict.</summary>
    /// <exception cref="CheckpointException">A leaf's dtype cannot be stored; the message names its path.</exception>
    public static byte[] ToBytes(ParamTree tree)
    {
        using var stream = new MemoryStream();
        Write(stream, tree);
        return stream.ToArray();
    }

    /// <summary>The msgpack bytes of all collections: <c>{"params": …, "batch_stats": …}</c>.</summary>
    /// <exception cref="CheckpointException">A leaf's dtype cannot be stored.</exception>
    public static byte[] ToBytes(Variables variables) => ToBytes(variables.Tree);

    /// <summary>The tree stored in msgpack bytes, without a template (<c>flax.serialization.msgpack_restore</c>).</summary>
    /// <exception cref="CheckpointException">The bytes are truncated or corrupt; the message names the byte offset.</exception>
    public static ParamTree Restore(byte[] data)
    {
        using var stream = new MemoryStream(data, writable: false);
        return Read(stream, "the msgpack data");
    }

    /// <summary>
    /// The tree stored in msgpack bytes, checked against <paramref name="target"/> (<c>flax.serialization.from_bytes</c>):
    /// the same keys at every level, and leaves of the target's shapes and dtypes.
    /// </summary>
    /// <exception cref="CheckpointException">The bytes are corrupt or the trees differ; the message names the path.</exception>
    public static ParamTree FromBytes(ParamTree target, byte[] data) =>
        Serialization.FromStateDict(target, Restore(data), "the msgpack data");

    /// <summary>Variables stored in msgpack bytes, checked against <paramref name="target"/>'s collections.</summary>
    /// <exception cref="CheckpointException">The bytes are corrupt or the trees differ.</exception>
    public static Variables FromBytes(Variables target, byte[] data) => new(FromBytes(target.Tree, data));

    /// <summary>Writes the msgpack bytes of <paramref name="tree"/> to <paramref name="stream"/>.</summary>
    internal static void Write(Stream stream, ParamTree tree, long maxChunkBytes = MaxChunkBytes) =>
        new FlaxStateEncoder(new MsgpackWriter(stream), maxChunkBytes).Write(tree);

    /// <summary>Reads one tree that spans the rest of the seekable <paramref name="stream"/>.</summary>
    internal static ParamTree Read(Stream stream, string source) => FlaxStateDecoder.Decode(stream, source);
}
