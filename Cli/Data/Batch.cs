using Linen.Functional;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Cli.Data;

/// <summary>A batch: float32 images <c>(N, H, W, C)</c> and int64 labels <c>(N)</c>.</summary>
/// <param name="Images">The normalised images, NHWC.</param>
/// <param name="Labels">The class indices.</param>
internal sealed record Batch(Tensor Images, Tensor Labels) : ITensorContainer
{
    /// <inheritdoc/>
    public IEnumerable<Tensor> Tensors => [Images, Labels];

    /// <summary>Makes the batch of images <paramref name="indices"/> from <paramref name="set"/>, augmented when a key and an augmentation are given.</summary>
    /// <param name="set">The data set.</param>
    /// <param name="indices">Which images, in batch order.</param>
    /// <param name="normalization">How pixels map to floats.</param>
    /// <param name="device">Where the tensors go.</param>
    /// <param name="augmentation">The augmentation, or null for none.</param>
    /// <param name="augmentKey">The key of this batch's augmentation (used only with <paramref name="augmentation"/>).</param>
    public static Batch Create(ImageSet set, ReadOnlySpan<int> indices, Normalization normalization, Device device,
        Augmentation? augmentation = null, PrngKey augmentKey = default)
    {
        var n = indices.Length;
        var pixels = augmentation?.Apply(augmentKey, set, indices) ?? Gather(set, indices);
        // A lookup table per channel: 256 entries instead of a division per pixel.
        var table = Enumerable.Range(0, set.Channels)
            .Select(c => Enumerable.Range(0, 256).Select(v => normalization.Apply((byte)v, c)).ToArray()).ToArray();
        var values = new float[pixels.Length];
        for (var i = 0; i < values.Length; i++) values[i] = table[i % set.Channels][pixels[i]];
        var labels = new long[n];
        for (var i = 0; i < n; i++) labels[i] = set.Labels[indices[i]];
        return new Batch(
            tensor(values, [n, set.Height, set.Width, set.Channels], ScalarType.Float32, device),
            tensor(labels, [n], ScalarType.Int64, device));
    }

    private static byte[] Gather(ImageSet set, ReadOnlySpan<int> indices)
    {
        var output = new byte[indices.Length * set.ImageSize];
        for (var i = 0; i < indices.Length; i++) set.Image(indices[i]).CopyTo(output.AsSpan(i * set.ImageSize));
        return output;
    }
}
