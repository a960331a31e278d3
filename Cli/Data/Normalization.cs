namespace Linen.Cli.Data;

/// <summary>Per-channel normalisation applied after scaling pixels to <c>[0, 1]</c>: <c>(x/255 − Mean[c]) / Std[c]</c>.</summary>
/// <param name="Mean">The mean of each channel, or a single value for all channels.</param>
/// <param name="Std">The standard deviation of each channel, or a single value for all channels.</param>
internal sealed record Normalization(float[] Mean, float[] Std)
{
    /// <summary>Pixels divided by 255 and nothing else (the Flax MNIST tutorial's preprocessing).</summary>
    public static readonly Normalization UnitRange = new([0f], [1f]);

    /// <summary>Mean 0.5 and standard deviation 0.5 per channel, mapping pixels to <c>[−1, 1]</c> (the preprocessing of google/vit-base-patch16-224).</summary>
    public static readonly Normalization SymmetricRange = new([0.5f], [0.5f]);

    /// <summary>The ImageNet channel statistics (torchvision's and the Flax ImageNet example's preprocessing).</summary>
    public static readonly Normalization ImageNet = new([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

    /// <summary>The mean and standard deviation of channel <paramref name="channel"/>.</summary>
    public (float Mean, float Std) Of(int channel) => (Mean[Mean.Length == 1 ? 0 : channel], Std[Std.Length == 1 ? 0 : channel]);

    /// <summary>The normalised value of byte <paramref name="value"/> of channel <paramref name="channel"/>, in float32 as Flax computes it: <c>(x/255 − mean)/std</c>.</summary>
    public float Apply(byte value, int channel)
    {
        var (mean, std) = Of(channel);
        return ((value / 255f) - mean) / std;
    }
}
