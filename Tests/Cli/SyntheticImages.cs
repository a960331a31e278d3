using SkiaSharp;

namespace Linen.Tests.Cli;

/// <summary>
/// A learnable image folder for training tests that must not depend on downloads: 28×28 PNGs of four classes,
/// each a bright square in one quadrant (the class) at a jittered position, on noise.
/// </summary>
internal static class SyntheticImages
{
    /// <summary>The class names, in label order.</summary>
    public static readonly string[] Classes = ["top-left", "top-right", "bottom-left", "bottom-right"];

    /// <summary>Writes <paramref name="perClass"/> images per class under <paramref name="root"/>.</summary>
    public static string WriteFolder(string root, int perClass, int seed = 1)
    {
        var random = new Random(seed);
        for (var label = 0; label < Classes.Length; label++)
        {
            var dir = Directory.CreateDirectory(Path.Combine(root, Classes[label])).FullName;
            for (var i = 0; i < perClass; i++)
            {
                using var bitmap = new SKBitmap(new SKImageInfo(28, 28, SKColorType.Rgba8888, SKAlphaType.Unpremul));
                var (top, left) = (label / 2 * 14 + random.Next(0, 5), label % 2 * 14 + random.Next(0, 5));
                for (var y = 0; y < 28; y++)
                    for (var x = 0; x < 28; x++)
                    {
                        var inside = y >= top && y < top + 9 && x >= left && x < left + 9;
                        var v = (byte)(inside ? 200 + random.Next(0, 56) : random.Next(0, 80));
                        bitmap.SetPixel(x, y, new SKColor(v, v, v));
                    }
                using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
                File.WriteAllBytes(Path.Combine(dir, $"{i:D3}.png"), data.ToArray());
            }
        }
        return root;
    }
}
