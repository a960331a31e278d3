using Linen.Prng;

namespace Linen.Cli.Data;

/// <summary>
/// Random translations (zero-filled, up to <see cref="MaxShift"/> pixels each way) and optional horizontal
/// flips, drawn from a key so that a batch's augmentation depends only on that key.
/// </summary>
/// <param name="MaxShift">The largest shift in each direction, in pixels.</param>
/// <param name="FlipHorizontal">Whether to flip half of the images left-right (wrong for digits, right for photos).</param>
internal sealed record Augmentation(int MaxShift, bool FlipHorizontal)
{
    /// <summary>Augments the images at <paramref name="indices"/> of <paramref name="set"/>, returning their pixels, NHWC.</summary>
    /// <param name="key">The key of this batch's augmentation.</param>
    /// <param name="set">The data set.</param>
    /// <param name="indices">Which images, in batch order.</param>
    public byte[] Apply(PrngKey key, ImageSet set, ReadOnlySpan<int> indices)
    {
        var (shiftKey, flipKey) = key.Split();
        var n = indices.Length;
        var shifts = Sample.RandInt(shiftKey, 2 * n, -MaxShift, MaxShift + 1);
        var flips = FlipHorizontal ? Sample.Bernoulli(flipKey, n) : new bool[n];
        var output = new byte[n * set.ImageSize];
        for (var i = 0; i < n; i++)
            Transform(set, set.Image(indices[i]), output.AsSpan(i * set.ImageSize, set.ImageSize), shifts[2 * i], shifts[(2 * i) + 1], flips[i]);
        return output;
    }

    private static void Transform(ImageSet set, ReadOnlySpan<byte> image, Span<byte> output, int dy, int dx, bool flip)
    {
        int h = set.Height, w = set.Width, c = set.Channels;
        for (var y = 0; y < h; y++)
        {
            var sy = y - dy;
            if (sy < 0 || sy >= h) continue;
            for (var x = 0; x < w; x++)
            {
                var sx = (flip ? w - 1 - x : x) - dx;
                if (sx < 0 || sx >= w) continue;
                image.Slice(((sy * w) + sx) * c, c).CopyTo(output.Slice(((y * w) + x) * c, c));
            }
        }
    }
}
