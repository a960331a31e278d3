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
        var size = set.ImageSize;
        var augmented = augmentation?.Apply(augmentKey, set, indices);
        // A lookup table of 256 values per channel instead of a division per pixel; the same float32 arithmetic.
        var channels = set.Channels;
        var table = new float[channels * 256];
        for (var c = 0; c < channels; c++)
            for (var v = 0; v < 256; v++) table[(c * 256) + v] = normalization.Apply((byte)v, c);
        var values = new float[n * size];
        var labels = new long[n];
        for (var i = 0; i < n; i++)
        {
            var image = augmented is null ? set.Image(indices[i]) : augmented.AsSpan(i * size, size);
            var target = values.AsSpan(i * size, size);
            if (channels == 1)
                for (var j = 0; j < size; j++) target[j] = table[image[j]];
            else
                for (var j = 0; j < size; j++) target[j] = table[((j % channels) * 256) + image[j]];
            labels[i] = set.Labels[indices[i]];
        }
        return new Batch(
            tensor(values, [n, set.Height, set.Width, channels], ScalarType.Float32, device),
            tensor(labels, [n], ScalarType.Int64, device));
    }
}
