using System.Buffers.Binary;
using System.Text;
using Linen.Functional;
using Xunit;
using static TorchSharp.torch;

namespace Linen.Tests.Functional;

/// <summary>
/// Safetensors bytes as the reference Rust crate lays them out (huggingface/safetensors@24b0b28,
/// safetensors/src/tensor.rs: <c>prepare</c> sorts by descending dtype then name, <c>Metadata::serialize</c> writes
/// <c>__metadata__</c> first, the JSON is padded with spaces to a multiple of 8), and its header validation.
/// </summary>
public class SafetensorsTests
{
    private const string GoldenJson =
        "{\"__metadata__\":{\"format\":\"pt\"},"
        + "\"step\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]},"
        + "\"params/Dense_0/bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]},"
        + "\"params/Dense_0/kernel\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[16,24]},"
        + "\"params/mask\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[24,26]}}";

    private static readonly byte[] Golden = [
        .. Hex.Bytes("3001000000000000"),                          // header length 304: 302 bytes of JSON + 2 spaces
        .. Encoding.UTF8.GetBytes(GoldenJson + "  "),
        .. Hex.Bytes("0300000000000000"),                          // step: int64 3
        .. Hex.Bytes("0000003f 000080bf 0000803f 00000040"),       // bias 0.5 -1.0, kernel 1.0 2.0
        .. Hex.Bytes("0100")];                                     // mask: True False

    private static ParamTree GoldenTree() => ParamTree.CreateBuilder()
        .Add("params/Dense_0/bias", tensor(new[] { 0.5f, -1f }))
        .Add("params/Dense_0/kernel", tensor(new[] { 1f, 2f }).reshape(1, 2))
        .Add("params/mask", tensor(new[] { true, false }))
        .Add("step", tensor(3L))
        .ToImmutable();

    private static ParamTree Read(byte[] data) => Safetensors.Read(new MemoryStream(data), "the test data", name => name);

    private static byte[] File(string json, int dataBytes)
    {
        var header = Encoding.UTF8.GetBytes(json);
        var file = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        return file;
    }

    private static string ReadError(byte[] data) => Assert.Throws<CheckpointException>(() => Read(data)).Message;

    [Fact]
    public void WritesTheReferenceLayout()
    {
        using var stream = new MemoryStream();
        Safetensors.Write(stream, GoldenTree(), new Dictionary<string, string> { ["format"] = "pt" });
        Assert.Equal(Golden, stream.ToArray());
    }

    [Fact]
    public void ReadsTheReferenceLayout()
    {
        TreeAssert.SameTree(GoldenTree(), Read(Golden));
    }

    [Fact]
    public void MetadataRoundTripsThroughAFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"linen-{Guid.NewGuid():N}.safetensors");
        try
        {
            var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "quote \" backslash \\ tab \t é" };
            Safetensors.Save(path, GoldenTree(), metadata);
            Assert.Equal(metadata, Safetensors.ReadMetadata(path));
            TreeAssert.SameTree(GoldenTree(), Safetensors.Load(path));
        }
        finally { System.IO.File.Delete(path); }
    }

    [Fact]
    public void HuggingFaceNamesMapToPaths()
    {
        var data = File("{\"dense.weight\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4);
        var tree = Safetensors.Read(new MemoryStream(data), "the test data", name => name.Replace('.', '/'));
        Assert.Equal(["dense/weight"], tree.Paths);
    }

    [Fact]
    public void ClashingNamesAreNamed()
    {
        var data = File("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},"
            + "\"a.b\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]}}", 2);
        var error = Assert.Throws<CheckpointException>(() =>
            Safetensors.Read(new MemoryStream(data), "the test data", name => name.Replace('.', '/')));
        Assert.Equal("Cannot read the test data: tensor 'a.b' cannot be placed in a tree "
            + "(Cannot add 'a/b': 'a' is a leaf. (Parameter 'path')).", error.Message);
    }

    [Fact]
    public void OverlappingOffsetsAreRejected()
    {
        var json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[2,6]}}";
        Assert.Equal($"Cannot read the test data at byte offset {8 + json.Length + 2}: tensor 'b' has data_offsets [2, 6], "
            + "but the data before it ends at 4 (tensors must be contiguous and must not overlap).", ReadError(File(json, 8)));
    }

    [Fact]
    public void GapsBetweenTensorsAreRejected()
    {
        var json = "{\"a\":{\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[0,1]},\"b\":{\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[2,3]}}";
        Assert.Equal($"Cannot read the test data at byte offset {8 + json.Length + 2}: tensor 'b' has data_offsets [2, 3], "
            + "but the data before it ends at 1 (tensors must be contiguous and must not overlap).", ReadError(File(json, 3)));
    }

    [Fact]
    public void ByteRangeMustFitDtypeAndShape()
    {
        var json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}";
        Assert.Equal($"Cannot read the test data at byte offset {8 + json.Length}: tensor 'a' (F32 of shape (2,)) needs 8 bytes, "
            + "but its data_offsets [0, 4] span 4.", ReadError(File(json, 4)));
    }

    [Fact]
    public void DataMustEndWithTheFile()
    {
        var json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        Assert.Equal($"Cannot read the test data at byte offset {8 + json.Length + 4}: the tensors' data ends at byte {8 + json.Length + 4}, "
            + $"but the file has {8 + json.Length + 2} bytes.", ReadError(File(json, 4)[..^2]));
    }

    [Fact]
    public void HeaderLengthIsBounded()
    {
        Assert.Equal("Cannot read the test data at byte offset 0: the header length 18446744073709551615 exceeds "
            + "the format's limit of 100000000 bytes.", ReadError(Hex.Bytes("ffffffffffffffff 7b7d")));
        Assert.Equal("Cannot read the test data at byte offset 0: the header length 16 runs past the end of the file "
            + "(2 bytes follow it).", ReadError(Hex.Bytes("1000000000000000 7b7d")));
        Assert.Equal("Cannot read the test data at byte offset 0: the file has 3 bytes, fewer than the 8 of the header length.",
            ReadError(Hex.Bytes("020000")));
    }

    [Fact]
    public void UnsupportedDtypeIsNamed()
    {
        Assert.Equal("Cannot read the test data at byte offset 8: tensor 'a': dtype 'U32' is not supported "
            + "(supported: BOOL, U8, I8, I16, F16, BF16, I32, F32, C64, F64, I64).",
            ReadError(File("{\"a\":{\"dtype\":\"U32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4)));
    }

    [Fact]
    public void HeaderMustBeJson()
    {
        Assert.StartsWith("Cannot read the test data at byte offset 8: the header is not valid UTF-8 JSON (",
            ReadError(File("{\"a\":", 0)));
    }

    [Fact]
    public void Complex128HasNoSafetensorsCode()
    {
        var tree = ParamTree.Empty.SetItem("z", zeros(1, ScalarType.ComplexFloat64));
        var error = Assert.Throws<CheckpointException>(() => Safetensors.Write(new MemoryStream(), tree, null));
        Assert.Equal("Cannot save 'z': dtype ComplexFloat64 has no safetensors code "
            + "(supported: BOOL, U8, I8, I16, F16, BF16, I32, F32, C64, F64, I64).", error.Message);
    }
}
