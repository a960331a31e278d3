namespace Linen.Cli.Data;

/// <summary>The data sets named on the command line: <c>mnist</c> or <c>imagefolder:PATH</c>.</summary>
internal static class DatasetSource
{
    private const string ImageFolderPrefix = "imagefolder:";

    /// <summary>The training and test splits of <paramref name="dataset"/>, with images of the given size.</summary>
    /// <param name="dataset">The data set's name.</param>
    /// <param name="height">Input height of the model.</param>
    /// <param name="width">Input width of the model.</param>
    /// <param name="channels">Input channels of the model.</param>
    /// <param name="dataDirectory">Where the MNIST files are (null: the cache).</param>
    /// <exception cref="UserException">An unknown data set name, MNIST with a model of another input size, or data that is missing or corrupt.</exception>
    public static (ImageSet Train, ImageSet Test) Load(string dataset, int height, int width, int channels, string? dataDirectory)
    {
        if (dataset == "mnist")
        {
            if ((height, width, channels) != (28, 28, 1))
                throw new UserException($"MNIST images are 28×28×1, but the model takes {height}×{width}×{channels}; use imagefolder:PATH for other sizes.", UserException.Usage);
            var directory = MnistSource.Ensure(dataDirectory, MnistSource.DefaultCacheDirectory());
            return (Mnist.LoadTrain(directory), Mnist.LoadTest(directory));
        }
        if (dataset.StartsWith(ImageFolderPrefix, StringComparison.Ordinal))
            return ImageFolder.LoadSplits(dataset[ImageFolderPrefix.Length..], height, width, channels);
        throw new UserException($"Unknown data set '{dataset}': use mnist or imagefolder:PATH.", UserException.Usage);
    }
}
