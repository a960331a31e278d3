using Linen.Functional;
using Xunit;
using TorchSharp;
using static TorchSharp.torch;
using Padding = Linen.Functional.Padding;

namespace Linen.Tests.Layers;

public class LayoutTests
{
    [Theory]
    [InlineData(5, 2, 2, 0, 1)]   // out 3: one pad, after
    [InlineData(4, 2, 2, 0, 0)]
    [InlineData(4, 3, 1, 1, 1)]
    [InlineData(7, 4, 3, 1, 2)]   // out 3: total 3
    [InlineData(1, 4, 1, 1, 2)]
    public void SamePadsPutTheOddPadAfter(long size, long window, long stride, long lo, long hi) =>
        Assert.Equal((lo, hi), Layout.SamePads(size, window, stride));

    [Theory]
    [InlineData(PaddingKind.Same, 3, 2, 2, 1)]
    [InlineData(PaddingKind.Same, 2, 3, 1, 2)]   // s > k-1: lo = k-1
    [InlineData(PaddingKind.Valid, 3, 2, 2, 2)]
    [InlineData(PaddingKind.Valid, 2, 3, 1, 2)]
    public void TransposePadsFollowLaxConvTranspose(PaddingKind kind, long window, long stride, long lo, long hi) =>
        Assert.Equal((lo, hi), Layout.TransposePads(kind, window, stride));

    [Fact]
    public void LayoutsRoundTripAndMoveTheRightAxes()
    {
        using var stop = 24f.ToScalar();
        var x = arange(Scalars.Zero, stop, Scalars.One).reshape(1, 2, 3, 4);
        Assert.Equal([1L, 4, 2, 3], Layout.ToChannelsFirst(x).shape);
        Assert.True(Layout.ToChannelsLast(Layout.ToChannelsFirst(x)).eq(x).all().item<bool>());
        Assert.Equal([5L, 4, 2, 3], Layout.KernelToTorch(zeros(2, 3, 4, 5)).shape);
    }

    [Fact]
    public void EdgePaddingWrapsAndMirrorsBeyondOnePeriod()
    {
        var x = tensor(new float[] { 1, 2, 3 }, [1, 1, 3]);
        Assert.Equal([3f, 1, 2, 3, 1, 2, 3, 1], Layout.PadEdges(x, PaddingKind.Circular, [(4, 1)]).data<float>().ToArray());
        Assert.Equal([1f, 2, 3, 2, 1, 2, 3, 2], Layout.PadEdges(x, PaddingKind.Reflect, [(4, 1)]).data<float>().ToArray());
        Assert.Equal([0f, 0, 1, 2, 3], Layout.PadEdges(x, PaddingKind.Causal, [(2, 0)]).data<float>().ToArray());
    }

    [Fact]
    public void PaddingReadsAsFlaxWritesIt()
    {
        Assert.Equal(PaddingKind.Same, ((Padding)"SAME").Kind);
        Assert.Equal("VALID", ((Padding)"VALID").ToString());
        Assert.Equal([(2L, 2L), (2L, 2L)], ((Padding)2).PairsFor(2));
        Assert.Equal("((1, 2), (0, 0))", ((Padding)new[] { (1, 2), (0, 0) }).ToString());
        Assert.Equal("Unknown padding 'same': use \"SAME\", \"VALID\", \"CIRCULAR\", \"REFLECT\", \"CAUSAL\", an int or (lo, hi) pairs. (Parameter 'name')",
            Assert.Throws<ArgumentException>(() => (Padding)"same").Message);
        Assert.Equal("Padding ((1, 2), (0, 0)) gives 2 (lo, hi) pairs for 3 spatial dims; give one pair per dim.",
            Assert.Throws<ArgumentException>(() => Padding.Explicit((1, 2), (0, 0)).PairsFor(3)).Message);
    }
}
