using System.Security.Cryptography;

namespace Linen.Cli.Data;

/// <summary>Loads MNIST from a directory holding the four IDX files (raw or <c>.gz</c>), checking each file's SHA-256.</summary>
internal static class Mnist
{
    /// <summary>The digit names, in label order.</summary>
    public static readonly IReadOnlyList<string> ClassNames = [.. Enumerable.Range(0, 10).Select(d => d.ToString())];

    /// <summary>The training split (60,000 images of 28×28×1).</summary>
    /// <exception cref="DataException">A file is missing, corrupt or malformed.</exception>
    public static ImageSet LoadTrain(string directory) => Load(directory, MnistFile.TrainImages, MnistFile.TrainLabels);

    /// <summary>The test split (10,000 images of 28×28×1).</summary>
    /// <exception cref="DataException">A file is missing, corrupt or malformed.</exception>
    public static ImageSet LoadTest(string directory) => Load(directory, MnistFile.TestImages, MnistFile.TestLabels);

    /// <summary>Reads an image file and its label file, verifying both checksums.</summary>
    /// <exception cref="DataException">A file is missing, corrupt or malformed.</exception>
    public static ImageSet Load(string directory, MnistFile imagesFile, MnistFile labelsFile)
    {
        var (images, imagesPath) = ReadVerified(directory, imagesFile, rank: 3);
        var (labels, labelsPath) = ReadVerified(directory, labelsFile, rank: 1);
        return FromIdx(images, imagesPath, labels, labelsPath);
    }

    /// <summary>Pairs parsed image and label arrays into a data set.</summary>
    /// <exception cref="IdxFormatException">The counts differ, or a label is not a digit.</exception>
    public static ImageSet FromIdx(IdxArray images, string imagesPath, IdxArray labels, string labelsPath)
    {
        if (labels.Count != images.Count)
            throw new IdxFormatException(labelsPath, 4, $"count mismatch: {labels.Count} labels, but {imagesPath} has {images.Count} images");
        var bad = Array.FindIndex(labels.Values, l => l >= ClassNames.Count);
        if (bad >= 0) throw new IdxFormatException(labelsPath, 8 + bad, $"label {labels.Values[bad]} is not a digit 0-9");
        return new ImageSet(images.Values, [.. labels.Values.Select(l => (int)l)], images.Shape[1], images.Shape[2], 1, ClassNames);
    }

    /// <summary>Checks that <paramref name="content"/> read from <paramref name="path"/> is the published <paramref name="file"/>.</summary>
    /// <exception cref="DataException">The SHA-256 differs.</exception>
    public static void Verify(MnistFile file, string path, byte[] content)
    {
        var actual = Convert.ToHexStringLower(SHA256.HashData(content));
        if (actual != file.Sha256)
            throw new DataException(
                $"{path}: SHA-256 {actual} does not match the published {file.Name} ({file.Sha256}); " +
                "the file is corrupt or not the original MNIST. Delete it to fetch it again.");
    }

    private static (IdxArray Array, string Path) ReadVerified(string directory, MnistFile file, int rank)
    {
        var path = file.Find(directory) ?? throw new DataException($"{directory}: missing {file.Name} (or {file.Name}.gz).");
        var content = IdxReader.ReadContent(path);
        Verify(file, path, content);
        return (IdxReader.Parse(path, content, rank), path);
    }
}
