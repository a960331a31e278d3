namespace Linen.Cli.Data;

/// <summary>One of the four MNIST IDX files, with its size and SHA-256 as published (docs/mnist.md).</summary>
/// <param name="Name">The original file name, without <c>.gz</c>.</param>
/// <param name="Bytes">The uncompressed size.</param>
/// <param name="Sha256">The SHA-256 of the uncompressed content, lower-case hex.</param>
internal sealed record MnistFile(string Name, long Bytes, string Sha256)
{
    /// <summary>Training images, 60,000 × 28 × 28.</summary>
    public static readonly MnistFile TrainImages = new("train-images-idx3-ubyte", 47_040_016, "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db");

    /// <summary>Training labels, 60,000.</summary>
    public static readonly MnistFile TrainLabels = new("train-labels-idx1-ubyte", 60_008, "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5");

    /// <summary>Test images, 10,000 × 28 × 28.</summary>
    public static readonly MnistFile TestImages = new("t10k-images-idx3-ubyte", 7_840_016, "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7");

    /// <summary>Test labels, 10,000.</summary>
    public static readonly MnistFile TestLabels = new("t10k-labels-idx1-ubyte", 10_008, "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");

    /// <summary>All four files.</summary>
    public static readonly IReadOnlyList<MnistFile> All = [TrainImages, TrainLabels, TestImages, TestLabels];

    /// <summary>The path of this file in <paramref name="directory"/>, raw or gzipped, or null when neither exists.</summary>
    public string? Find(string directory) =>
        new[] { Name, Name + ".gz" }.Select(n => Path.Combine(directory, n)).FirstOrDefault(File.Exists);
}
