using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Linen.Functional;
using Linen.Layers;
using Xunit;
using static TorchSharp.torch;

namespace Linen.Tests.Layers;

public class PoolingTests
{
    public enum Reduction { Max, Min, AvgIncludingPad, AvgExcludingPad }

    public enum PadChoice { Same, Valid, Pairs }

    public sealed record Dim(int Window, int Stride, int Lo, int Hi, int Size)
    {
        public override string ToString() => $"w{Window} s{Stride} pad({Lo},{Hi}) size{Size}";
    }

    public sealed record PoolCase(Reduction Reduction, Dim[] Dims, PadChoice Pad, bool DefaultStrides, long[] Batch, int Features, int Seed)
    {
        public override string ToString() => $"{Reduction} {Pad} dims {LayerAssert.Show(Dims)} default strides {DefaultStrides} " +
            $"batch {LayerAssert.Show(Batch)} features {Features} seed {Seed}";
    }

    private static Gen<Dim> Dims(PadChoice pad, bool defaultStrides) =>
        from window in Gen.Choose(1, 3)
        from stride in defaultStrides ? Gen.Constant(1) : Gen.Choose(1, 3)
        from lo in pad == PadChoice.Pairs ? Gen.Choose(0, window - 1) : Gen.Constant(0)
        from hi in pad == PadChoice.Pairs ? Gen.Choose(0, window - 1) : Gen.Constant(0)
        from size in Gen.Choose(Math.Max(1, window - lo - hi), Math.Max(1, window - lo - hi) + 3)
        select new Dim(window, stride, lo, hi, size);

    private static Arbitrary<PoolCase> PoolCases() => Arb.From(
        from reduction in Gen.Elements(Enum.GetValues<Reduction>())
        from rank in Gen.Choose(1, 3)
        from pad in Gen.Elements(Enum.GetValues<PadChoice>())
        from defaultStrides in Gen.Elements(true, false)
        from dims in Gen.ArrayOf(Dims(pad, defaultStrides), rank)
        from batch in Gen.Choose(0, 2).SelectMany(n => Gen.ArrayOf(Gen.Choose(1, 2).Select(d => (long)d), n))
        from features in Gen.Choose(1, 2)
        from seed in Gen.Choose(0, 10_000)
        select new PoolCase(reduction, dims, pad, defaultStrides, batch, features, seed));

    [Property(MaxTest = 80)]
    public Property MatchesPlainLoops() => Prop.ForAll(PoolCases(), c =>
    {
        using var scope = NewDisposeScope();
        var d = c.Dims;
        int[] window = [.. d.Select(e => e.Window)];
        int[]? strides = c.DefaultStrides ? null : [.. d.Select(e => e.Stride)];
        Padding padding = c.Pad == PadChoice.Pairs ? Padding.Explicit([.. d.Select(e => ((long)e.Lo, (long)e.Hi))]) : c.Pad.ToString().ToUpperInvariant();
        var x = Naive.Random(c.Seed, [.. c.Batch, .. d.Select(e => (long)e.Size), c.Features]);
        var actual = c.Reduction switch
        {
            Reduction.Max => Pooling.MaxPool(x.ToTensor(), window, strides, padding),
            Reduction.Min => Pooling.MinPool(x.ToTensor(), window, strides, padding),
            _ => Pooling.AvgPool(x.ToTensor(), window, strides, padding, countIncludePad: c.Reduction == Reduction.AvgIncludingPad),
        };

        long[] w = [.. d.Select(e => (long)e.Window)], s = [.. d.Select(e => (long)e.Stride)];
        (long, long)[] pads = c.Pad switch
        {
            PadChoice.Same => [.. d.Select(e => SamePads(e.Size, e.Window, e.Stride))],
            PadChoice.Pairs => [.. d.Select(e => ((long)e.Lo, (long)e.Hi))],
            _ => [.. d.Select(_ => (0L, 0L))],
        };
        var input = x with { Shape = [Nd.Numel(c.Batch), .. x.Shape[c.Batch.Length..]] };
        var expected = c.Reduction switch
        {
            Reduction.Max => Naive.Pool(input, w, s, pads, float.NegativeInfinity, Math.Max),
            Reduction.Min => Naive.Pool(input, w, s, pads, float.PositiveInfinity, Math.Min),
            _ => Naive.Pool(input, w, s, pads, 0, (a, b) => a + b),
        };
        var counts = c.Reduction == Reduction.AvgIncludingPad
            ? expected with { Data = [.. expected.Data.Select(_ => (float)Nd.Numel(w))] }
            : Naive.Pool(input with { Data = [.. input.Data.Select(_ => 1f)] }, w, s, pads, 0, (a, b) => a + b);
        if (c.Reduction is Reduction.AvgIncludingPad or Reduction.AvgExcludingPad)
            expected = expected with { Data = [.. expected.Data.Select((v, i) => v / counts.Data[i])] };
        LayerAssert.Close(expected with { Shape = [.. c.Batch, .. expected.Shape[1..]] }, actual, 1e-5);
    });

    /// <summary>JAX's padtype_to_pads for 'SAME', as spec/linen.md B.2 says pooling shares Conv's rule.</summary>
    private static (long, long) SamePads(long size, long window, long stride)
    {
        var total = Math.Max(((size + stride - 1) / stride - 1) * stride + window - size, 0);
        return (total / 2, total - total / 2);
    }

    [Fact]
    public void StridesDefaultToOneNotToTheWindow()
    {
        // spec/linen.md F: nn.max_pool(x, (2, 2)) without strides takes 28 → 27.
        Assert.Equal([1L, 27, 27, 6], Pooling.MaxPool(ones(1, 28, 28, 6), [2, 2]).shape);
        Assert.Equal([1L, 14, 14, 6], Pooling.MaxPool(ones(1, 28, 28, 6), [2, 2], [2, 2]).shape);
    }

    [Fact]
    public void SamePaddingHoldsTheReductionIdentity()
    {
        var x = tensor(new float[] { -1, -2, -3 }, [1, 3, 1]);
        // SAME with window 2 on 3 cells pads (0, 1): the last window holds -3 and padding.
        LayerAssert.Equal([-1, -2, -3], [1, 3, 1], Pooling.MaxPool(x, [2], padding: "SAME"));
        LayerAssert.Equal([-2, -3, -3], [1, 3, 1], Pooling.MinPool(x, [2], padding: "SAME"));
        LayerAssert.Equal([-1.5f, -2.5f, -1.5f], [1, 3, 1], Pooling.AvgPool(x, [2], padding: "SAME"));
        LayerAssert.Equal([-1.5f, -2.5f, -3], [1, 3, 1], Pooling.AvgPool(x, [2], padding: "SAME", countIncludePad: false));
    }

    [Fact]
    public void UnbatchedInputKeepsItsRank()
    {
        var x = arange(8f).reshape(4, 2);
        LayerAssert.Equal([2, 3, 4, 5, 6, 7], [3, 2], Pooling.MaxPool(x, [2]));
        LayerAssert.Equal([1, 2, 3, 4, 5, 6, 6, 7], [4, 2], Pooling.AvgPool(x, [2], padding: "SAME", countIncludePad: false));
    }

    [Fact]
    public void BadInputsAreInputShapeErrors()
    {
        Assert.Equal("MaxPool: expected an input of rank at least 3 (batch…, 2 spatial dims, features) for a 2-D window, got shape (4, 4).",
            Assert.Throws<InputShapeException>(() => Pooling.MaxPool(ones(4, 4), [2, 2])).Message);
        Assert.Equal("AvgPool: the input of shape (1, 2, 1) is smaller than the window (3) in pooled dim 0 with VALID padding: 2 against 3.",
            Assert.Throws<InputShapeException>(() => Pooling.AvgPool(ones(1, 2, 1), [3])).Message);
        Assert.Equal("MinPool: padding must be SAME, VALID or (lo, hi) pairs, got CIRCULAR. (Parameter 'padding')",
            Assert.Throws<ArgumentException>(() => Pooling.MinPool(ones(1, 2, 1), [1], padding: "CIRCULAR")).Message);
    }
}
