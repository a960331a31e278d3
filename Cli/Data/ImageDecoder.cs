using SkiaSharp;

namespace Linen.Cli.Data;

/// <summary>Decodes PNG and JPEG files with SkiaSharp and resizes them to a model's input size.</summary>
internal static class ImageDecoder
{
    /// <summary>The file extensions read as images.</summary>
    public static readonly IReadOnlySet<string> Extensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".jpeg" };

    /// <summary>
    /// The pixels of the image at <paramref name="path"/>, stretched to <paramref name="height"/>×<paramref name="width"/>
    /// with bilinear sampling, as <paramref name="channels"/> bytes per pixel (1: luma of ITU-R BT.601, 3: RGB; alpha dropped), row-major.
    /// </summary>
    /// <exception cref="DataException">The file is missing or not a decodable image, or <paramref name="channels"/> is not 1 or 3.</exception>
    public static byte[] Decode(string path, int height, int width, int channels)
    {
        if (channels is not (1 or 3)) throw new DataException($"Images can be read with 1 or 3 channels, not {channels}.");
        if (!File.Exists(path)) throw new DataException($"{path}: no such image file.");
        using var decoded = SKBitmap.Decode(path) ?? throw new DataException($"{path}: not a PNG or JPEG image SkiaSharp can decode.");
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var resized = decoded.Resize(info, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None))
            ?? throw new DataException($"{path}: cannot be resized to {width}×{height}.");
        var rgba = resized.GetPixelSpan();
        var output = new byte[height * width * channels];
        for (var p = 0; p < height * width; p++)
        {
            var px = rgba.Slice(4 * p, 3);
            if (channels == 3) px.CopyTo(output.AsSpan(3 * p));
            else output[p] = (byte)Math.Round((0.299 * px[0]) + (0.587 * px[1]) + (0.114 * px[2]));
        }
        return output;
    }
}
