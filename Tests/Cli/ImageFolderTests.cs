using Linen.Cli.Data;
using SkiaSharp;
using Xunit;

namespace Linen.Tests.Cli;

public sealed class ImageFolderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ClassesAreSubFoldersAndEveryTenthFileIsHeldOut()
    {
        WriteImages("cat", 12, new SKColor(255, 0, 0));
        WriteImages("dog", 3, new SKColor(0, 0, 255));

        var (train, test) = ImageFolder.LoadSplits(_dir.Path, height: 4, width: 6, channels: 3);

        Assert.Equal(["cat", "dog"], train.ClassNames);
        // cat: files 0 and 10 held out; dog: file 0 held out.
        Assert.Equal([.. Enumerable.Repeat(0, 10), 1, 1], train.Labels);
        Assert.Equal([0, 0, 1], test.Labels);
        Assert.Equal((4, 6, 3), (train.Height, train.Width, train.Channels));
        Assert.Equal([255, 0, 0], train.Image(0)[..3].ToArray());
        Assert.Equal([0, 0, 255], test.Image(2)[^3..].ToArray());
    }

    [Fact]
    public void TrainAndTestSubFoldersAreUsedAsSplits()
    {
        WriteImages("train/a", 2, SKColors.White);
        WriteImages("train/b", 2, SKColors.Black);
        WriteImages("val/a", 1, SKColors.White);
        WriteImages("val/b", 1, SKColors.Black);

        var (train, test) = ImageFolder.LoadSplits(_dir.Path, height: 2, width: 2, channels: 1);

        Assert.Equal([0, 0, 1, 1], train.Labels);
        Assert.Equal([0, 1], test.Labels);
        Assert.Equal([255, 255, 255, 255, 0, 0, 0, 0], test.Pixels);
    }

    [Fact]
    public void ResizeAveragesAndGreyUsesLuma()
    {
        using (var bitmap = new SKBitmap(new SKImageInfo(2, 1, SKColorType.Rgba8888, SKAlphaType.Unpremul)))
        {
            bitmap.SetPixel(0, 0, new SKColor(0, 255, 0));
            bitmap.SetPixel(1, 0, new SKColor(0, 255, 0));
            Save(bitmap, _dir.File("green.png"));
        }

        var grey = ImageDecoder.Decode(_dir.File("green.png"), height: 3, width: 3, channels: 1);

        // 0.587 · 255 = 149.7 for pure green (ITU-R BT.601 luma).
        Assert.Equal(Enumerable.Repeat((byte)150, 9), grey);
    }

    [Fact]
    public void UndecodableFileIsNamed()
    {
        File.WriteAllText(_dir.File("broken.png"), "not an image");

        var e = Assert.Throws<DataException>(() => ImageDecoder.Decode(_dir.File("broken.png"), 2, 2, 3));

        Assert.Equal($"{_dir.File("broken.png")}: not a PNG or JPEG image SkiaSharp can decode.", e.Message);
    }

    [Fact]
    public void FolderWithOneClassIsRejected()
    {
        WriteImages("only", 3, SKColors.White);

        var e = Assert.Throws<DataException>(() => ImageFolder.LoadSplits(_dir.Path, 2, 2, 3));

        Assert.Equal($"Image folder {_dir.Path} needs one sub-folder per class (at least 2); it has 1.", e.Message);
    }

    private void WriteImages(string folder, int count, SKColor color)
    {
        var dir = Directory.CreateDirectory(_dir.File(folder)).FullName;
        using var bitmap = new SKBitmap(new SKImageInfo(8, 8, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        bitmap.Erase(color);
        for (var i = 0; i < count; i++) Save(bitmap, Path.Combine(dir, $"img{i:D2}.png"));
    }

    private static void Save(SKBitmap bitmap, string path)
    {
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
    }
}
