using Linen.Cli.Data;
using Xunit;

namespace Linen.Tests.Cli;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsImagesRawAndGzipped(bool gzip)
    {
        var values = Enumerable.Range(0, 2 * 3 * 4).Select(i => (byte)(i * 10)).ToArray();
        var path = IdxFiles.Write(_dir.File(gzip ? "images.gz" : "images"), IdxFiles.Bytes(0x0803, [2, 3, 4], values), gzip);

        var array = IdxReader.Read(path, rank: 3);

        Assert.Equal([2, 3, 4], array.Shape);
        Assert.Equal(values, array.Values);
        Assert.Equal(2, array.Count);
    }

    [Fact]
    public void ReadsLabels()
    {
        var path = IdxFiles.Write(_dir.File("labels"), IdxFiles.Bytes(0x0801, [3], [7, 0, 9]));

        Assert.Equal([7, 0, 9], IdxReader.Read(path, rank: 1).Values);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BadMagicNamesFileAndOffsetZero(bool gzip)
    {
        var path = IdxFiles.Write(_dir.File("labels"), IdxFiles.Bytes(0x0803, [1, 1, 1], [0]), gzip);

        var e = Assert.Throws<IdxFormatException>(() => IdxReader.Read(path, rank: 1));

        Assert.Equal($"{path}: bad magic 0x00000803, expected 0x00000801 (unsigned bytes, 1 dimensions) (at byte 0).", e.Message);
        Assert.Equal(0, e.Offset);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TruncatedValuesNameFileAndEndOffset(bool gzip)
    {
        var path = IdxFiles.Write(_dir.File("images"), IdxFiles.Bytes(0x0803, [2, 2, 2], [1, 2, 3, 4, 5]), gzip);

        var e = Assert.Throws<IdxFormatException>(() => IdxReader.Read(path, rank: 3));

        Assert.Equal($"{path}: truncated: the header announces 8 values (2×2×2), the file ends after 5 (at byte 21).", e.Message);
    }

    [Fact]
    public void TruncatedHeaderIsReported()
    {
        var path = IdxFiles.Write(_dir.File("images"), IdxFiles.Bytes(0x0803, [2, 2, 2], [])[..10]);

        var e = Assert.Throws<IdxFormatException>(() => IdxReader.Read(path, rank: 3));

        Assert.Equal($"{path}: truncated: the header needs 16 bytes, the file has 10 (at byte 10).", e.Message);
    }

    [Fact]
    public void TrailingBytesAreReported()
    {
        var path = IdxFiles.Write(_dir.File("labels"), IdxFiles.Bytes(0x0801, [2], [1, 2, 3]));

        var e = Assert.Throws<IdxFormatException>(() => IdxReader.Read(path, rank: 1));

        Assert.Equal($"{path}: 1 unexpected bytes after the 2 announced values (at byte 10).", e.Message);
    }

    [Fact]
    public void CorruptGzipIsADataError()
    {
        var path = IdxFiles.Write(_dir.File("images.gz"), [0x1f, 0x8b, 1, 2, 3, 4]);

        var e = Assert.Throws<DataException>(() => IdxReader.Read(path, rank: 3));

        Assert.StartsWith($"{path}: not a valid gzip file", e.Message);
    }
}
