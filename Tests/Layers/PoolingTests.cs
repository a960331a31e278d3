using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Linen.Functional;
using Linen.Layers;
using Linen.Testing;
using Xunit;
using static Linen.Tests.Layers.TestValues;
using TorchSharp;
using static TorchSharp.torch;
using Padding = Linen.Functional.Padding;

namespace Linen.Tests.Layers;

public class PoolingTests : LayerContract<PoolingTests.Pool>
{
    public enum Reduction { Max, Min, AvgIncludingPad, AvgExcludingPad }

    /// <summary>A pooling function as a layer (Flax's pooling functions have no module), so that the contract can check it.</summary>
    public sealed record Pool(Reduction Reduction, int[] Window, int[]? Strides, Padding Padding) : Module
    {
        public override Tensor Call(Scope scope, Tensor input) => Reduction switch
        {
            Reduction.Max => Pooling.MaxPool(input, Window, Strides, Padding),
            Reduction.Min => Pooling.MinPool(input, Window, Strides, Padding),
            _ => Pooling.AvgPool(input, Window, Strides, Padding, countIncludePad: Reduction == Reduction.AvgIncludingPad),
        };
    }

    protected override Gen<Pool> Layers =>
        from reduction in Gen.Elements(Enum.GetValues<Reduction>())
        from rank in Gen.Choose(1, 3)
        from window in Gen.ArrayOf(Gen.Choose(1, 3), rank)
        from strides in Gen.OneOf(Gen.Constant<int[]?>(null), Gen.ArrayOf(Gen.Choose(1, 3), rank).Select(s => (int[]?)s))
        from pad in Gen.Elements(Enum.GetValues<PadChoice>())
        from pairs in Gen.CollectToArray(window, w => from lo in Gen.Choose(0, w - 1) from hi in Gen.Choose(0, w - 1) select ((long)lo, (long)hi))
        select new Pool(reduction, window, strides, pad == PadChoice.Pairs ? Padding.Explicit(pairs) : pad.ToString().ToUpperInvariant());

    /// <summary>0 to 2 batch dims, sizes from the smallest window the padding leaves, 1 or 2 features.</summary>
    protected override Gen<long[]> InputShapes(Pool layer)
    {
        var n = layer.Window.Length;
        var pads = layer.Padding.Kind == PaddingKind.Explicit ? layer.Padding.PairsFor(n) : new (long Lo, long Hi)[n];
        var sizes = Enumerable.Range(0, n).Select(i =>
        {
            var smallest = layer.Padding.Kind == PaddingKind.Same ? 1 : (int)Math.Max(1, layer.Window[i] - pads[i].Lo - pads[i].Hi);
            return Gen.Choose(smallest, smallest + 2).Select(d => (long)d);
        });
        return from batch in Gen.Choose(0, 2).SelectMany(rank => Gen.ArrayOf(Gen.Choose(1, 2).Select(d => (long)d), rank))
               from spatial in Gen.CollectToArray(sizes, g => g)
               from features in Gen.Choose(1, 2)
               select (long[])[.. batch, .. spatial, features];
    }

    /// <summary>
    /// Distinct values, the ranks of the random ones over their count: a window's max or min has no gradient where it ties,
    /// and values closer than the finite-difference step would cross one; spaced by at least 1/4096 they never do, so the
    /// gradient law holds for every reduction.
    /// </summary>
    protected override Tensor Input(Pool layer, RandomTensor values)
    {
        var x = values.Create();
        return x.flatten().argsort().argsort().to_type(ScalarType.Float32).Div(x.numel()).reshape(x.shape);
    }

    // spec/linen.md F: nn.max_pool(x, (2, 2)) without strides takes 28 → 27; pooling creates no variables.
    protected override FlaxExample Flax =>
        new(new Pool(Reduction.Max, [2, 2], null, "VALID"), ones(1, 28, 28, 6), [1, 27, 27, 6], new Dictionary<string, long[]>());

    public enum PadChoice { Same, Valid, Pairs }

    public sealed record Dim(int Window, int Stride, int Lo, int Hi, int Size)
    {
        public override string ToString() => $"w{Window} s{Stride} pad({Lo},{Hi}) size{Size}";
    }

    public sealed record PoolCase(Reduction Reduction, Dim[] Dims, PadChoice Pad, bool DefaultStrides, long[] Batch, int Features, int Seed)
    {
        public override string ToString() => $"{Reduction} {Pad} dims {Show(Dims)} default strides {DefaultStrides} " +
            $"batch {Show(Batch)} features {Features} seed {Seed}";
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
        var x = Nd.Random(c.Seed, [.. c.Batch, .. d.Select(e => (long)e.Size), c.Features]);
        var actual = c.Reduction switch
        {
            Reduction.Max => Pooling.MaxPool(x.ToTensor(), window, strides, padding),
            Reduction.Min => Pooling.MinPool(x.ToTensor(), window, strides, padding),
            _ => Pooling.AvgPool(x.ToTensor(), window, strides, padding, countIncludePad: c.Reduction == Reduction.AvgIncludingPad),
        };

        long[] w = [.. d.Select(e => (long)e.Window)], s = [.. d.Select(e => (long)e.Stride)];
        (long, long)[] pads = c.Pad switch
        {
            PadChoice.Same => [.. d.Select(e => Naive.SamePads(e.Size, e.Window, e.Stride))],
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
        AssertClose(expected with { Shape = [.. c.Batch, .. expected.Shape[1..]] }, actual, 1e-5);
    });

    public static TheoryData<long[], int[], int[], string> LargeFewChannelCases => new()
    {
        // Each input has at least 2^18 elements and fewer than 8 channels: pooled in groups of examples folded into the
        // channels (8 of 6 channels, 16 of 3, 32 of 1; 4 of 2 channels is the whole batch, as no smaller group divides it).
        { [128, 24, 24, 6], [2, 2], [2, 2], "VALID" },
        { [32, 30, 31, 3], [3, 2], [2, 3], "SAME" },
        { [64, 4096, 1], [3], [2], "SAME" },
        { [4, 16, 32, 64, 2], [2, 3, 2], [2, 2, 1], "VALID" },
    };

    [Theory]
    [MemberData(nameof(LargeFewChannelCases))]
    public void LargeFewChannelMaxPoolMatchesPoolingEachExample(long[] shape, int[] window, int[] strides, string padding)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // Small integers with ties, and -1 where SAME padding (-inf) must not win.
        var count = (int)Shapes.Numel(shape);
        var x = tensor(Enumerable.Range(0, count).Select(i => (float)(i * 7919L % 13) - 1).ToArray()).reshape(shape);
        var folded = Pooling.MaxPool(x, window, strides, padding);
        // One example at a time is never folded: LibTorch's pooling as it is.
        var each = cat([.. Enumerable.Range(0, (int)shape[0]).Select(i => Pooling.MaxPool(x[i..(i + 1)], window, strides, padding))], 0);
        Assert.Equal(each.shape, folded.shape);
        Assert.True(each.eq(folded).all().item<bool>(), "pooled values differ");
        Assert.True(folded.is_contiguous(), "the output is not contiguous (N, …spatial, C)");
    }

    [Theory]
    [MemberData(nameof(LargeFewChannelCases))]
    public void LargeFewChannelMaxPoolGradientsMatchPoolingEachExample(long[] shape, int[] window, int[] strides, string padding)
    {
        using var scope = NewDisposeScope();
        var count = (int)Shapes.Numel(shape);
        // Ties (small integers) decide which input of a window gets its gradient: the first maximum in both cases.
        var x = tensor(Enumerable.Range(0, count).Select(i => (float)(i * 7919L % 13) - 1).ToArray()).reshape(shape);
        Tensor GradientOf(Func<Tensor, Tensor> pool)
        {
            var input = x.detach().requires_grad_(true);
            var pooled = pool(input);
            // Distinct weights per output, so that a gradient routed to the wrong example or cell shows.
            var weights = tensor(Enumerable.Range(0, (int)pooled.numel()).Select(i => (float)(i % 101)).ToArray()).reshape(pooled.shape);
            pooled.mul(weights).sum().backward();
            return input.grad!;
        }
        var folded = GradientOf(input => Pooling.MaxPool(input, window, strides, padding));
        var each = GradientOf(input =>
            cat([.. Enumerable.Range(0, (int)shape[0]).Select(i => Pooling.MaxPool(input[i..(i + 1)], window, strides, padding))], 0));
        Assert.True(each.eq(folded).all().item<bool>(), "gradients differ");
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
        AssertEqual([-1, -2, -3], [1, 3, 1], Pooling.MaxPool(x, [2], padding: "SAME"));
        AssertEqual([-2, -3, -3], [1, 3, 1], Pooling.MinPool(x, [2], padding: "SAME"));
        AssertEqual([-1.5f, -2.5f, -1.5f], [1, 3, 1], Pooling.AvgPool(x, [2], padding: "SAME"));
        AssertEqual([-1.5f, -2.5f, -3], [1, 3, 1], Pooling.AvgPool(x, [2], padding: "SAME", countIncludePad: false));
    }

    [Fact]
    public void UnbatchedInputKeepsItsRank()
    {
        using var stop = 8f.ToScalar();
        var x = arange(Scalars.Zero, stop, Scalars.One).reshape(4, 2);
        AssertEqual([2, 3, 4, 5, 6, 7], [3, 2], Pooling.MaxPool(x, [2]));
        AssertEqual([1, 2, 3, 4, 5, 6, 6, 7], [4, 2], Pooling.AvgPool(x, [2], padding: "SAME", countIncludePad: false));
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
