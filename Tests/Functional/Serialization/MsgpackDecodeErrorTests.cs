using Linen.Functional;
using Xunit;

namespace Linen.Tests.Functional;

/// <summary>Malformed msgpack: each failure is a <see cref="CheckpointException"/> naming the byte offset and tree path.</summary>
public class MsgpackDecodeErrorTests
{
    private static string Error(params string[] hex) =>
        Assert.Throws<CheckpointException>(() => FlaxMsgpack.Restore(Hex.Bytes(hex))).Message;

    [Fact]
    public void TopLevelMustBeAMap() => Assert.Equal(
        "Cannot read the msgpack data at byte offset 0: expected a map at the top level (a state dict), found an array of 3 items.",
        Error("93 01 02 03"));

    [Fact]
    public void DeclaredSizesAreCheckedBeforeAllocating() => Assert.Equal(
        "Cannot read the msgpack data at byte offset 0: a map of 4294967295 entries needs at least 8589934590 more bytes, but the data ends after 0.",
        Error("df ffffffff"));

    [Fact]
    public void UnusedHeaderByteIsRejected() => Assert.Equal(
        "Cannot read the msgpack data at byte offset 3 (tree path 'a'): byte 0xc1 is not a msgpack header.",
        Error("81 a1 61 c1"));

    [Fact]
    public void NilIsNotALeaf() => Assert.Equal(
        "Cannot read the msgpack data at byte offset 3 (tree path 'a'): expected a map, an array or a number, found nil.",
        Error("81 a1 61 c0"));

    [Fact]
    public void KeysMustBeStrings() => Assert.Equal(
        "Cannot read the msgpack data at byte offset 1: map keys must be strings, found an integer.",
        Error("81 01 c3"));

    [Fact]
    public void KeysMustBeTreeKeys() => Assert.Equal(
        "Cannot read the msgpack data at byte offset 1: the key 'a/b' cannot name a tree entry (keys must be non-empty and contain no '/').",
        Error("81 a3 612f62 c3"));

    [Fact]
    public void DuplicateKeysAreRejected() => Assert.Equal(
        "Cannot read the msgpack data at byte offset 4: the key 'a' appears twice in one map.",
        Error("82 a1 61 c3 a1 61 c3"));

    [Fact]
    public void UnknownExtensionTypeIsNamed() => Assert.Equal(
        "Cannot read the msgpack data at byte offset 3 (tree path 'a'): extension type 5 is not one Flax writes (1 array, 2 complex number, 3 NumPy scalar).",
        Error("81 a1 61 d4 05 00"));

    [Fact]
    public void ElementBytesMustFitShape() => Assert.Equal(
        "Cannot read the msgpack data at byte offset 17 (tree path 'x'): a float32 array of shape (3,) needs 12 bytes, found 8.",
        Error("81 a1 78 c7 15 01 93 91 03 a7 666c6f61743332 c4 08 0000803f 0000803f"));

    [Fact]
    public void ExtensionLengthMustMatchItsPayload() => Assert.Equal(
        "Cannot read the msgpack data at byte offset 3 (tree path 'b'): the array's extension header declares 13 bytes, but its contents take 12.",
        Error("81 a1 62 c7 0d 01 93 91 02 a4 626f6f6c c4 02 0100 00"));

    [Fact]
    public void BooleansMustBeZeroOrOne() => Assert.Equal(
        "Cannot read the msgpack data at byte offset 17 (tree path 'b'): a bool array holds the byte 2 (only 0 and 1 are booleans).",
        Error("81 a1 62 c7 0c 01 93 91 02 a4 626f6f6c c4 02 0102"));

    [Fact]
    public void TrailingBytesAreRejected() => Assert.Equal(
        "Cannot read the msgpack data at byte offset 4: the top-level map ends here, but 2 more bytes follow.",
        Error("81 a1 61 c3 c3 c3"));

    [Fact]
    public void ChunkedArrayNeedsAllItsChunks() => Assert.Equal(
        "Cannot read the msgpack data at byte offset 3 (tree path 'w'): a chunked array of shape (5,) needs 5 elements, its chunks hold 2.",
        Error("81 a1 77 83 b9 5f5f6d73677061636b5f6368756e6b65645f61727261795f5f c3 a5 7368617065 81 a1 30 05",
            "a6 6368756e6b73 81 a1 30 c7 15 01 93 91 02 a7 666c6f61743332 c4 08 00000000 0000803f"));

    [Fact]
    public void DeepNestingIsRejectedBeforeTheStackOverflows()
    {
        var path = string.Join('/', Enumerable.Repeat("a", 512));
        Assert.Equal($"Cannot read the msgpack data at byte offset 1536 (tree path '{path}'): maps nest deeper than 512 levels.",
            Error(string.Concat(Enumerable.Repeat("81 a1 61 ", 100_000)), "c3"));
    }
}
