using Linen.Cli.Data;
using Linen.Prng;
using Xunit;
using static TorchSharp.torch;

namespace Linen.Tests.Cli;

public sealed class BatchTests
{
    // Three 2×2 RGB images whose pixel values are their flat positions.
    private static readonly ImageSet Set = new([.. Enumerable.Range(0, 36).Select(i => (byte)i)], [2, 0, 1], 2, 2, 3, ["a", "b", "c"]);

    [Fact]
    public void ImagesAreNhwcFloat32OverTwoFiftyFiveAndLabelsInt64()
    {
        using var scope = NewDisposeScope();
        var batch = Batch.Create(Set, [2, 0], Normalization.UnitRange, CPU);

        Assert.Equal([2L, 2, 2, 3], batch.Images.shape);
        Assert.Equal(ScalarType.Float32, batch.Images.dtype);
        Assert.Equal(ScalarType.Int64, batch.Labels.dtype);
        Assert.Equal([1L, 2], batch.Labels.data<long>().ToArray());
        Assert.Equal(24f / 255f, batch.Images[0, 0, 0, 0].item<float>());
        Assert.Equal(11f / 255f, batch.Images[1, 1, 1, 2].item<float>());
    }

    [Fact]
    public void NormalizationIsPerChannel()
    {
        using var scope = NewDisposeScope();
        var normalization = new Normalization([0f, 0.5f, 1f], [1f, 0.5f, 0.25f]);

        var batch = Batch.Create(Set, [0], normalization, CPU);

        // Pixel (0, 0) holds bytes 0, 1, 2: (0/255 − 0)/1, (1/255 − 0.5)/0.5, (2/255 − 1)/0.25.
        var pixel = batch.Images[0, 0, 0].data<float>().ToArray();
        Assert.Equal([0f, (1f / 255f - 0.5f) / 0.5f, (2f / 255f - 1f) / 0.25f], pixel);
    }

    [Fact]
    public void AugmentationIsDeterministicPerKeyAndKeepsPixelsOrZeros()
    {
        var augmentation = new Augmentation(MaxShift: 1, FlipHorizontal: true);
        var key = PrngKey.FromSeed(7);

        var first = augmentation.Apply(key, Set, [0, 1, 2]);
        var again = augmentation.Apply(key, Set, [0, 1, 2]);

        Assert.Equal(first, again);
        Assert.Equal(36, first.Length);
        Assert.All(first, v => Assert.True(v == 0 || Set.Pixels.Contains(v)));
    }

    [Fact]
    public void ShiftMovesPixelsAndFillsZeros()
    {
        var grey = new ImageSet([1, 2, 3, 4, 5, 6, 7, 8, 9], [0], 3, 3, 1, ["only"]);
        // Search keys for a draw of shift (dy, dx) = (1, 0): the image moves down one row.
        var key = Enumerable.Range(0, 100).Select(i => PrngKey.FromSeed(i))
            .First(k => Sample.RandInt(k.Split().First, 2, -1, 2) is [1, 0]);

        var shifted = new Augmentation(MaxShift: 1, FlipHorizontal: false).Apply(key, grey, [0]);

        Assert.Equal([0, 0, 0, 1, 2, 3, 4, 5, 6], shifted);
    }
}
