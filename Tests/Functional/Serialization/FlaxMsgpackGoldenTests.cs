using Linen.Functional;
using Xunit;
using TorchSharp;
using static TorchSharp.torch;

namespace Linen.Tests.Functional;

/// <summary>
/// Golden bytes of <c>flax.serialization.to_bytes</c>, assembled by hand from the msgpack spec and
/// flax/serialization.py (google/flax@18f8f31: <c>_ndarray_to_bytes</c>, <c>_msgpack_ext_pack</c>, <c>_chunk</c>),
/// then confirmed by running that file with msgpack-python 1.0.3 and NumPy 1.24 on the same dicts.
/// Each is checked both ways: Linen writes exactly these bytes and reads them back to the same tree.
/// </summary>
public class FlaxMsgpackGoldenTests
{
    private static readonly byte[] DenseBytes = Hex.Bytes(
        "81 a6 706172616d73",                                // {"params":
        "81 a7 44656e73655f30",                              //  {"Dense_0":
        "82 a4 62696173",                                    //   {"bias":
        "c7 15 01",                                          //     ext 1 (ndarray), 21-byte payload:
        "93 91 02 a7 666c6f61743332 c4 08 0000003f 000080bf", //     [(2,), "float32", 0.5 -1.0 as little-endian bytes]
        "a6 6b65726e656c",                                   //    "kernel":
        "c7 16 01",                                          //     ext 1, 22-byte payload:
        "93 92 01 02 a7 666c6f61743332 c4 08 0000803f 00000040"); // [(1, 2), "float32", 1.0 2.0]

    private static ParamTree DenseTree() => ParamTree.CreateBuilder()
        .Add("params/Dense_0/bias", tensor(new[] { 0.5f, -1f }))
        .Add("params/Dense_0/kernel", tensor(new[] { 1f, 2f }).reshape(1, 2))
        .ToImmutable();

    [Fact]
    public void DenseTreeEncodesAsFlax()
    {
        Assert.Equal(DenseBytes, FlaxMsgpack.ToBytes(DenseTree()));
        Assert.Equal(DenseBytes, FlaxMsgpack.ToBytes(Variables.FromParams(DenseTree().Subtree("params"))));
    }

    [Fact]
    public void FlaxDenseBytesDecodeToTheTree()
    {
        var tree = FlaxMsgpack.Restore(DenseBytes);
        Assert.Equal(["params/Dense_0/bias", "params/Dense_0/kernel"], tree.Paths);
        Assert.Equal(new[] { 0.5f, -1f }, tree["params/Dense_0/bias"].data<float>().ToArray());
        Assert.Equal(new long[] { 1, 2 }, tree["params/Dense_0/kernel"].shape);
        Assert.Equal(new[] { 1f, 2f }, tree["params/Dense_0/kernel"].data<float>().ToArray());
    }

    [Fact]
    public void EveryDtypeEncodesAsFlax()
    {
        var golden = Hex.Bytes(
            "88",
            "a1 62 c7 0c 01 93 91 02 a4 626f6f6c c4 02 0100",                     // "b": bool [True, False]
            "a3 633634 c7 17 01 93 91 01 a9 636f6d706c65783634 c4 08 0000803f 000000c0", // "c64": complex64 [1-2j]
            "a3 663136 c7 11 01 93 91 02 a7 666c6f61743136 c4 04 003c 00c0",     // "f16": float16 [1, -2]
            "a3 663634 c7 15 01 93 91 01 a7 666c6f61743634 c4 08 9a9999999999b93f", // "f64": float64 [0.1]
            "a3 693136 c7 0d 01 93 91 01 a5 696e743136 c4 02 d4fe",              // "i16": int16 [-300]
            "a3 693332 d8 01 93 92 01 01 a5 696e743332 c4 04 07000000",          // "i32": int32 [[7]], a 16-byte fixext
            "a2 6938 c7 0c 01 93 91 02 a4 696e7438 c4 02 fb05",                  // "i8": int8 [-5, 5]
            "a2 7538 c7 0c 01 93 91 01 a5 75696e7438 c4 01 ff");                 // "u8": uint8 [255]
        var tree = ParamTree.CreateBuilder()
            .Add("b", tensor(new[] { true, false }))
            .Add("c64", view_as_complex(tensor(new[] { 1f, -2f }).reshape(1, 2)))
            .Add("f16", tensor(new[] { 1f, -2f }).to_type(ScalarType.Float16))
            .Add("f64", tensor(new[] { 0.1 }))
            .Add("i16", tensor(new short[] { -300 }))
            .Add("i32", tensor(new[] { 7 }).reshape(1, 1))
            .Add("i8", tensor(new sbyte[] { -5, 5 }))
            .Add("u8", tensor(new byte[] { 255 }))
            .ToImmutable();
        Assert.Equal(golden, FlaxMsgpack.ToBytes(tree));
        TreeAssert.SameTree(tree, FlaxMsgpack.Restore(golden));
    }

    [Fact]
    public void Bfloat16UsesJaxsDtypeName()
    {
        // ml_dtypes' bfloat16 is named "bfloat16" and stores the high half of a float32: 1.0 -> 0x3f80, -2.0 -> 0xc000.
        var golden = Hex.Bytes("81 a1 77 c7 12 01 93 91 02 a8 62666c6f61743136 c4 04 803f 00c0");
        var tree = ParamTree.Empty.SetItem("w", tensor(new[] { 1f, -2f }).to_type(ScalarType.BFloat16));
        Assert.Equal(golden, FlaxMsgpack.ToBytes(tree));
        TreeAssert.SameTree(tree, FlaxMsgpack.Restore(golden));
    }

    [Fact]
    public void ZeroDimensionalArrayUsesFixext16()
    {
        // A 0-d float32 array's payload is exactly 16 bytes, so msgpack-python picks fixext 16 (0xd8).
        var golden = Hex.Bytes("81 a1 78 d8 01 93 90 a7 666c6f61743332 c4 04 0000c03f");
        var tree = ParamTree.Empty.SetItem("x", tensor(1.5f));
        Assert.Equal(golden, FlaxMsgpack.ToBytes(tree));
        TreeAssert.SameTree(tree, FlaxMsgpack.Restore(golden));
    }

    [Fact]
    public void NumpyScalarExtensionDecodesTo0dTensor()
    {
        // to_bytes({"x": np.float32(1.5)}): extension type 3 (npscalar) around the same payload.
        var restored = FlaxMsgpack.Restore(Hex.Bytes("81 a1 78 d8 03 93 90 a7 666c6f61743332 c4 04 0000c03f"));
        Assert.Empty(restored["x"].shape);
        Assert.Equal(1.5f, restored["x"].item<float>());
    }

    [Fact]
    public void ZeroSizeArrayKeepsItsShape()
    {
        var golden = Hex.Bytes("81 a1 7a c7 0c 01 93 92 00 03 a5 696e743634 c4 00");
        var tree = ParamTree.Empty.SetItem("z", zeros([0, 3], ScalarType.Int64));
        Assert.Equal(golden, FlaxMsgpack.ToBytes(tree));
        TreeAssert.SameTree(tree, FlaxMsgpack.Restore(golden));
    }

    [Fact]
    public void LargeArrayUses32BitHeaders()
    {
        // to_bytes({"big": np.zeros(70000, np.uint8)}): ext 32, shape entry uint 32, bin 32; 70029 bytes in all.
        var prefix = Hex.Bytes("81 a3 626967 c9 00011182 01 93 91 ce 00011170 a5 75696e7438 c6 00011170");
        var tree = ParamTree.Empty.SetItem("big", zeros(70000, ScalarType.Byte));
        var bytes = FlaxMsgpack.ToBytes(tree);
        Assert.Equal(70029, bytes.Length);
        Assert.Equal(prefix, bytes[..prefix.Length]);
        TreeAssert.SameTree(tree, FlaxMsgpack.Restore(bytes));
    }

    [Fact]
    public void MapOf17EntriesUsesMap16()
    {
        var tree = Enumerable.Range(0, 17).Aggregate(ParamTree.Empty, (t, i) => t.SetItem($"m/{i}", tensor((long)i, ScalarType.Int8)));
        Assert.Equal(Hex.Bytes("81 a1 6d de 0011 a1 30 c7 0a 01 93"), FlaxMsgpack.ToBytes(tree)[..12]);
    }

    [Fact]
    public void ArraysOverTheChunkLimitAreChunkedAsFlaxDoes()
    {
        // With MAX_CHUNK_SIZE = 8: to_bytes({"w": np.arange(5, dtype=np.float32)}) splits 20 bytes into 2 + 2 + 1 elements.
        var golden = Hex.Bytes(
            "81 a1 77 83",
            "b9 5f5f6d73677061636b5f6368756e6b65645f61727261795f5f c3", // "__msgpack_chunked_array__": True
            "a5 7368617065 81 a1 30 05",                                 // "shape": {"0": 5}
            "a6 6368756e6b73 83",                                        // "chunks": {
            "a1 30 c7 15 01 93 91 02 a7 666c6f61743332 c4 08 00000000 0000803f", // "0": [0, 1]
            "a1 31 c7 15 01 93 91 02 a7 666c6f61743332 c4 08 00000040 00004040", // "1": [2, 3]
            "a1 32 c7 11 01 93 91 01 a7 666c6f61743332 c4 04 00008040");         // "2": [4]
        using var stop = 5L.ToScalar();
        var tree = ParamTree.Empty.SetItem("w", arange(Scalars.Zero, stop, Scalars.One, ScalarType.Float32));
        using var stream = new MemoryStream();
        FlaxMsgpack.Write(stream, tree, maxChunkBytes: 8);
        Assert.Equal(golden, stream.ToArray());
        TreeAssert.SameTree(tree, FlaxMsgpack.Restore(golden));
    }

    [Fact]
    public void ChunkedMultiDimensionalArrayRoundTrips()
    {
        using var stop = 24L.ToScalar();
        var tree = ParamTree.Empty.SetItem("w", arange(Scalars.Zero, stop, Scalars.One, ScalarType.Int16).reshape(2, 3, 4));
        using var stream = new MemoryStream();
        FlaxMsgpack.Write(stream, tree, maxChunkBytes: 10);
        TreeAssert.SameTree(tree, FlaxMsgpack.Restore(stream.ToArray()));
    }

    [Fact]
    public void PlainMsgpackValuesDecodeTo0dTensors()
    {
        // to_bytes({"c": 1+2j, "i": 300, "f": 0.25, "b": True}): a Python complex (ext 2), int, float and bool.
        var tree = FlaxMsgpack.Restore(Hex.Bytes(
            "84 a1 63 c7 13 02 92 cb 3ff0000000000000 cb 4000000000000000",
            "a1 69 cd 012c a1 66 cb 3fd0000000000000 a1 62 c3"));
        Assert.Equal(ScalarType.ComplexFloat64, tree["c"].dtype);
        Assert.Equal(new System.Numerics.Complex(1, 2), tree["c"].item<System.Numerics.Complex>());
        Assert.Equal((ScalarType.Int64, 300L), (tree["i"].dtype, tree["i"].item<long>()));
        Assert.Equal((ScalarType.Float64, 0.25), (tree["f"].dtype, tree["f"].item<double>()));
        Assert.Equal((ScalarType.Bool, true), (tree["b"].dtype, tree["b"].item<bool>()));
        Assert.All(tree.Leaves, t => Assert.Empty(t.shape));
    }

    [Fact]
    public void UnsupportedStoredDtypeIsNamed()
    {
        // to_bytes({"u": np.array([1], np.uint32)}); TorchSharp has no uint32.
        var error = Assert.Throws<CheckpointException>(() =>
            FlaxMsgpack.Restore(Hex.Bytes("81 a1 75 d8 01 93 91 01 a6 75696e743332 c4 04 01000000")));
        Assert.Equal("Cannot read the msgpack data at byte offset 8 (tree path 'u'): dtype 'uint32' is not supported "
            + "(supported: bool, uint8, int8, int16, float16, bfloat16, int32, float32, complex64, float64, int64, complex128).", error.Message);
    }

    [Fact]
    public void UnsupportedTensorDtypeIsNamedOnSave()
    {
        var tree = ParamTree.Empty.SetItem("params/x", quantize_per_tensor(zeros(2), 0.1, 0, ScalarType.QInt8));
        var error = Assert.Throws<CheckpointException>(() => FlaxMsgpack.ToBytes(tree));
        Assert.Equal("Cannot save 'params/x': dtype QInt8 has no Flax msgpack name "
            + "(supported: bool, uint8, int8, int16, float16, bfloat16, int32, float32, complex64, float64, int64, complex128).", error.Message);
    }
}
