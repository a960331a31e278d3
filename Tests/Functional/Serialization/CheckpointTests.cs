using Linen.Functional;
using Xunit;
using static TorchSharp.torch;

namespace Linen.Tests.Functional;

/// <summary>Checkpoint files: format by extension, errors naming the file, and atomic replacement.</summary>
public sealed class CheckpointTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("linen-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static ParamTree DenseTree() => ParamTree.CreateBuilder()
        .Add("params/Dense_0/bias", tensor(new[] { 0.5f, -1f }))
        .Add("params/Dense_0/kernel", tensor(new[] { 1f, 2f }).reshape(1, 2))
        .ToImmutable();

    private string PathOf(string name) => Path.Combine(_directory, name);

    [Fact]
    public void MsgpackFileHoldsFlaxBytes()
    {
        var path = PathOf("model.msgpack");
        Checkpoint.Save(path, DenseTree());
        Assert.Equal(FlaxMsgpack.ToBytes(DenseTree()), File.ReadAllBytes(path));
        TreeAssert.SameTree(DenseTree(), Checkpoint.Load(path));
        TreeAssert.SameTree(DenseTree(), Checkpoint.Load(path, DenseTree().Map(t => zeros_like(t))));
    }

    [Fact]
    public void SafetensorsFileIsChosenByExtension()
    {
        var path = PathOf("model.safetensors");
        var variables = new Variables(DenseTree());
        Checkpoint.Save(path, variables);
        Assert.Equal((byte)'{', File.ReadAllBytes(path)[8]);
        TreeAssert.SameTree(DenseTree(), Checkpoint.Load(path, variables).Tree);
    }

    [Fact]
    public void EveryTruncatedFileNamesTheFileAndOffset()
    {
        var path = PathOf("model.msgpack");
        var bytes = FlaxMsgpack.ToBytes(DenseTree());
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            File.WriteAllBytes(path, bytes[..cut]);
            var error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(path));
            Assert.StartsWith($"Cannot read '{path}' at byte offset ", error.Message);
        }
        File.WriteAllBytes(path, bytes[..30]);
        Assert.Equal($"Cannot read '{path}' at byte offset 23 (tree path 'params/Dense_0/bias'): "
            + "extension type 1 needs at least 21 more bytes, but the data ends after 4.",
            Assert.Throws<CheckpointException>(() => Checkpoint.Load(path)).Message);
    }

    [Fact]
    public void MismatchNamesTheFileAndPath()
    {
        var path = PathOf("model.msgpack");
        Checkpoint.Save(path, DenseTree());
        var target = DenseTree().SetItem("params/Dense_0/kernel", zeros(3, 2));
        Assert.Equal($"Cannot restore '{path}' into the target at 'params/Dense_0/kernel': "
            + "expected a float32 leaf of shape (3, 2), found a float32 leaf of shape (1, 2).",
            Assert.Throws<CheckpointException>(() => Checkpoint.Load(path, target)).Message);
    }

    [Fact]
    public void FailedWriteLeavesTheOldFileAndNoTemporaryFile()
    {
        var path = PathOf("model.msgpack");
        Checkpoint.Save(path, DenseTree());
        var before = File.ReadAllBytes(path);
        var error = Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[4096]);
            throw new IOException("disk full");
        }));
        Assert.Equal("disk full", error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_directory));
    }

    [Fact]
    public void UnsupportedLeafMidWriteLeavesTheOldFile()
    {
        foreach (var name in new[] { "model.msgpack", "model.safetensors" })
        {
            var path = PathOf(name);
            Checkpoint.Save(path, DenseTree());
            var before = File.ReadAllBytes(path);
            // "params/…" is written before "zz", whose dtype neither format stores.
            var tree = DenseTree().SetItem("zz", quantize_per_tensor(zeros(2), 0.1, 0, ScalarType.QInt8));
            Assert.Throws<CheckpointException>(() => Checkpoint.Save(path, tree));
            Assert.Equal(before, File.ReadAllBytes(path));
        }
        Assert.Equal([PathOf("model.msgpack"), PathOf("model.safetensors")], Directory.GetFiles(_directory).Order());
    }

    [Fact]
    public void SaveReplacesAnExistingFile()
    {
        var path = PathOf("model.msgpack");
        Checkpoint.Save(path, DenseTree());
        var updated = DenseTree().Map(t => t.Mul(2));
        Checkpoint.Save(path, updated);
        TreeAssert.SameTree(updated, Checkpoint.Load(path));
    }

    [Fact]
    public void MissingFileIsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => Checkpoint.Load(PathOf("absent.msgpack")));
    }
}
