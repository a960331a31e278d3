namespace Linen.Cli.Data;

/// <summary>
/// Labelled images in memory: <see cref="Count"/> images of <see cref="Height"/>×<see cref="Width"/>×<see cref="Channels"/>
/// unsigned bytes, NHWC row-major, and one class index per image. Bytes keep a data set four times smaller
/// than float32; batches are converted as they are drawn.
/// </summary>
/// <param name="Pixels">The <c>Count·Height·Width·Channels</c> pixel values.</param>
/// <param name="Labels">The class index of each image, in <c>[0, ClassNames.Count)</c>.</param>
/// <param name="Height">Image height.</param>
/// <param name="Width">Image width.</param>
/// <param name="Channels">Channels per pixel (1 for grey, 3 for RGB).</param>
/// <param name="ClassNames">The class names, in index order.</param>
internal sealed record ImageSet(byte[] Pixels, int[] Labels, int Height, int Width, int Channels, IReadOnlyList<string> ClassNames)
{
    /// <summary>How many images.</summary>
    public int Count => Labels.Length;

    /// <summary>Values per image.</summary>
    public int ImageSize => Height * Width * Channels;

    /// <summary>How many classes.</summary>
    public int NumClasses => ClassNames.Count;

    /// <summary>The first <paramref name="limit"/> images (all when null or larger than the set).</summary>
    public ImageSet Take(int? limit) => limit is not { } n || n >= Count ? this
        : this with { Pixels = Pixels[..(n * ImageSize)], Labels = Labels[..n] };

    /// <summary>The pixels of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Image(int index) => Pixels.AsSpan(index * ImageSize, ImageSize);
}
