namespace Linen.Cli.Data;

/// <summary>
/// An image-folder data set: one sub-folder per class (its name is the class name, classes in ordinal
/// name order), PNG or JPEG files inside, each resized to the model's input size. A folder with
/// <c>train/</c> and <c>test/</c> (or <c>val/</c>) sub-folders gives both splits; otherwise the files
/// 0, 10, 20, … of each class (in name order) are held out for testing.
/// </summary>
internal static class ImageFolder
{
    /// <summary>How often a file is held out when the folder has no split sub-folders.</summary>
    public const int HoldOutEvery = 10;

    /// <summary>Loads the training and test splits of the folder at <paramref name="root"/>.</summary>
    /// <exception cref="DataException">The folder is missing, has no class folders or no images, the splits disagree on classes, or an image cannot be decoded.</exception>
    public static (ImageSet Train, ImageSet Test) LoadSplits(string root, int height, int width, int channels)
    {
        if (!Directory.Exists(root)) throw new DataException($"Image folder {root} does not exist.");
        var train = Path.Combine(root, "train");
        var test = new[] { "test", "val" }.Select(n => Path.Combine(root, n)).FirstOrDefault(Directory.Exists);
        if (Directory.Exists(train) && test is not null)
        {
            var trainSet = Load(ListClasses(train, minFiles: 1), height, width, channels, _ => true);
            var testClasses = ListClasses(test, minFiles: 1);
            if (!testClasses.Select(c => c.Name).SequenceEqual(trainSet.ClassNames))
                throw new DataException($"{test}: classes [{string.Join(", ", testClasses.Select(c => c.Name))}] differ from {train}'s [{string.Join(", ", trainSet.ClassNames)}].");
            return (trainSet, Load(testClasses, height, width, channels, _ => true));
        }
        // Holding out files 0, 10, 20, … leaves every class with at least one file on each side.
        var classes = ListClasses(root, minFiles: 2);
        return (Load(classes, height, width, channels, i => i % HoldOutEvery != 0),
                Load(classes, height, width, channels, i => i % HoldOutEvery == 0));
    }

    private static List<(string Name, string[] Files)> ListClasses(string root, int minFiles)
    {
        var classes = Directory.GetDirectories(root).Order(StringComparer.Ordinal)
            .Select(d => (Name: Path.GetFileName(d), Files: Directory.GetFiles(d)
                .Where(f => ImageDecoder.Extensions.Contains(Path.GetExtension(f))).Order(StringComparer.Ordinal).ToArray()))
            .ToList();
        if (classes.Count < 2) throw new DataException($"Image folder {root} needs one sub-folder per class (at least 2); it has {classes.Count}.");
        if (classes.FirstOrDefault(c => c.Files.Length < minFiles) is { Name: not null } small)
            throw new DataException($"Class folder {Path.Combine(root, small.Name)} holds {small.Files.Length} .png/.jpg/.jpeg files; it needs at least {minFiles}.");
        return classes;
    }

    private static ImageSet Load(List<(string Name, string[] Files)> classes, int height, int width, int channels, Func<int, bool> keep)
    {
        var pixels = new List<byte>();
        var labels = new List<int>();
        for (var label = 0; label < classes.Count; label++)
        {
            var files = classes[label].Files;
            for (var i = 0; i < files.Length; i++)
            {
                if (!keep(i)) continue;
                pixels.AddRange(ImageDecoder.Decode(files[i], height, width, channels));
                labels.Add(label);
            }
        }
        return new ImageSet([.. pixels], [.. labels], height, width, channels, [.. classes.Select(c => c.Name)]);
    }
}
