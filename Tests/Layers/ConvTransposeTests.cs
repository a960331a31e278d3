using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Linen.Functional;
using Linen.Layers;
using Linen.Prng;
using Xunit;
using static Linen.Tests.Layers.TestValues;
using static TorchSharp.torch;

namespace Linen.Tests.Layers;

public class ConvTransposeTests : LayerContract<ConvTranspose>
{
    /// <summary>1- to 3-D transposed convolutions with every padding kind, strides, kernel dilation and both kernel layouts.</summary>
    protected override Gen<ConvTranspose> Layers =>
        from rank in Gen.Choose(1, 3)
        from pad in Gen.Elements(Enum.GetValues<PadChoice>())
        from kernel in Gen.ArrayOf(Gen.Choose(1, 3), rank)
        from strides in Gen.ArrayOf(Gen.Choose(1, 3), rank)
        from kernelDilation in Gen.ArrayOf(Gen.Choose(1, 2), rank)
        from pairs in Gen.ArrayOf(from lo in Gen.Choose(0, 2) from hi in Gen.Choose(0, 2) select ((long)lo, (long)hi), rank)
        from transposeKernel in Gen.Elements(true, false)
        from features in Gen.Choose(1, 3)
        select new ConvTranspose(features, kernel)
        {
            Strides = strides, KernelDilation = kernelDilation, TransposeKernel = transposeKernel, BiasInit = Initializers.Normal(1f),
            Padding = pad == PadChoice.Pairs ? Padding.Explicit(pairs) : pad.ToString().ToUpperInvariant(),
        };

    /// <summary>0 to 2 batch dims, spatial sizes from the smallest that explicit pads leave an output for, 1 or 2 features.</summary>
    protected override Gen<long[]> InputShapes(ConvTranspose layer)
    {
        var n = layer.KernelSize.Length;
        var pads = layer.Padding.Kind == PaddingKind.Explicit ? layer.Padding.PairsFor(n) : new (long Lo, long Hi)[n];
        var sizes = Enumerable.Range(0, n).Select(i =>
        {
            var (effective, stride) = ((layer.KernelSize[i] - 1) * layer.KernelDilation![i] + 1, layer.Strides![i]);
            var smallest = layer.Padding.Kind == PaddingKind.Explicit
                ? Math.Max(1, (effective - pads[i].Lo - pads[i].Hi - 2 + stride) / stride + 1) : 1;
            return Gen.Choose((int)smallest, (int)smallest + 2).Select(d => (long)d);
        });
        return from batch in Gen.Choose(0, 2).SelectMany(rank => Gen.ArrayOf(Gen.Choose(1, 2).Select(d => (long)d), rank))
               from spatial in Gen.CollectToArray(sizes, g => g)
               from features in Gen.Choose(1, 2)
               select (long[])[.. batch, .. spatial, features];
    }

    // flax/linen/linear.py, ConvTranspose docstring: ConvTranspose(4, (3,), padding='VALID') on ones((1, 8, 3)) → kernel (3, 3, 4), output (1, 10, 4).
    protected override FlaxExample Flax => new(new ConvTranspose(4, [3]) { Padding = "VALID" }, ones(1, 8, 3), [1, 10, 4],
        new Dictionary<string, long[]> { ["params/kernel"] = [3, 3, 4], ["params/bias"] = [4] });

    public enum PadChoice { Same, Valid, Circular, Pairs }

    public sealed record Dim(int Kernel, int Stride, int KernelDilation, int Lo, int Hi, int Size)
    {
        public int Effective => (Kernel - 1) * KernelDilation + 1;
        public override string ToString() => $"k{Kernel} s{Stride} kd{KernelDilation} pad({Lo},{Hi}) size{Size}";
    }

    public sealed record TransposeCase(Dim[] Dims, PadChoice Pad, bool TransposeKernel, long[] Batch, int In, int Features, int Seed)
    {
        public override string ToString() => $"{Pad} dims {Show(Dims)} transpose_kernel {TransposeKernel} " +
            $"batch {Show(Batch)} in {In} features {Features} seed {Seed}";
    }

    private static Gen<Dim> Dims(PadChoice pad) =>
        from kernel in Gen.Choose(1, 4)
        from stride in Gen.Choose(1, 3)
        from kernelDilation in Gen.Choose(1, 2)
        from lo in pad == PadChoice.Pairs ? Gen.Choose(0, 2) : Gen.Constant(0)
        from hi in pad == PadChoice.Pairs ? Gen.Choose(0, 2) : Gen.Constant(0)
        let needed = (kernel - 1) * kernelDilation + 1 - lo - hi
        let smallest = Math.Max(1, (needed - 2) / stride + 2)
        from size in Gen.Choose(smallest, smallest + 2)
        select new Dim(kernel, stride, kernelDilation, lo, hi, size);

    private static Arbitrary<TransposeCase> TransposeCases() => Arb.From(
        from rank in Gen.Choose(1, 2)
        from pad in Gen.Elements(Enum.GetValues<PadChoice>())
        from dims in Gen.ArrayOf(Dims(pad), rank)
        from transposeKernel in Gen.Elements(true, false)
        from batch in Gen.Choose(0, 2).SelectMany(n => Gen.ArrayOf(Gen.Choose(1, 2).Select(d => (long)d), n))
        from inFeatures in Gen.Choose(1, 2)
        from features in Gen.Choose(1, 3)
        from seed in Gen.Choose(0, 10_000)
        select new TransposeCase(dims, pad, transposeKernel, batch, inFeatures, features, seed));

    /// <summary>JAX's _conv_transpose_padding (spec/linen.md B.1), restated for one dim.</summary>
    private static (long, long) TransposePads(PadChoice pad, long k, long s)
    {
        if (pad == PadChoice.Same)
        {
            var length = k + s - 2;
            var lo = s > k - 1 ? k - 1 : (length + 1) / 2;
            return (lo, length - lo);
        }
        return (k - 1, k + s - 2 + Math.Max(k - s, 0) - (k - 1));
    }

    [Property(MaxTest = 80)]
    public Property MatchesPlainLoops() => Prop.ForAll(TransposeCases(), c =>
    {
        using var scope = NewDisposeScope();
        var d = c.Dims;
        var layer = new ConvTranspose(c.Features, [.. d.Select(e => e.Kernel)])
        {
            Strides = [.. d.Select(e => e.Stride)], KernelDilation = [.. d.Select(e => e.KernelDilation)],
            TransposeKernel = c.TransposeKernel, BiasInit = Initializers.Normal(1f),
            Padding = c.Pad == PadChoice.Pairs ? Padding.Explicit([.. d.Select(e => ((long)e.Lo, (long)e.Hi))]) : c.Pad.ToString().ToUpperInvariant(),
        };
        var x = Nd.Random(c.Seed, [.. c.Batch, .. d.Select(e => (long)e.Size), c.In]);
        var variables = layer.Init(PrngKey.FromSeed(c.Seed), x.ToTensor());

        var kernel = Nd.Of(variables.Params["kernel"]);
        if (c.TransposeKernel) kernel = Naive.FlipSwap(kernel);
        (long, long)[] pads = c.Pad == PadChoice.Pairs ? [.. d.Select(e => ((long)e.Lo, (long)e.Hi))]
            : [.. d.Select(e => TransposePads(c.Pad, e.Effective, e.Stride))];
        var input = x with { Shape = [Nd.Numel(c.Batch), .. x.Shape[c.Batch.Length..]] };
        var y = Naive.Conv(input, kernel, [.. d.Select(_ => 1L)], pads, [.. d.Select(e => (long)e.Stride)], [.. d.Select(e => (long)e.KernelDilation)], 1);
        if (c.Pad == PadChoice.Circular)
        {
            long[] periods = [.. d.Select(e => (long)e.Size * e.Stride)];
            long[] diffs = [.. periods.Select((p, i) => ((p - y.Shape[i + 1]) % (2 * p) + 2 * p) % (2 * p))];
            y = Naive.FoldPeriodic(y, periods, [.. diffs.Select(diff => c.TransposeKernel ? diff / 2 : (diff + 1) / 2)]);
        }
        y = Naive.AddBias(y, Nd.Of(variables.Params["bias"]));
        AssertClose(y with { Shape = [.. c.Batch, .. y.Shape[1..]] }, layer.Apply(variables, x.ToTensor()));
    });

    public sealed record AdjointCase(Dim[] Dims, int In, int Out, int Seed)
    {
        public override string ToString() => $"dims {Show(Dims)} in {In} out {Out} seed {Seed}";
    }

    private static Arbitrary<AdjointCase> AdjointCases() => Arb.From(
        from rank in Gen.Choose(1, 2)
        from dims in Gen.ArrayOf(
            from kernel in Gen.Choose(1, 3)
            from kernelDilation in Gen.Choose(1, 2)
            from stride in Gen.Choose(1, (kernel - 1) * kernelDilation + 1)
            from outputs in Gen.Choose(1, 3)
            select new Dim(kernel, stride, kernelDilation, 0, 0, outputs), rank)
        from inFeatures in Gen.Choose(1, 3)
        from outFeatures in Gen.Choose(1, 3)
        from seed in Gen.Choose(0, 10_000)
        select new AdjointCase(dims, inFeatures, outFeatures, seed));

    [Property(MaxTest = 40)]
    public Property WithTransposeKernelItIsTheAdjointOfConv() => Prop.ForAll(AdjointCases(), c =>
    {
        // Flax: with transpose_kernel=True and Conv's kernel, ConvTranspose computes the transpose of that Conv, so
        // <Conv(u), v> = <u, ConvTranspose(v)> when VALID Conv maps n = (m-1)·s + k_eff cells onto m.
        using var scope = NewDisposeScope();
        var d = c.Dims;
        int[] kernelSize = [.. d.Select(e => e.Kernel)], strides = [.. d.Select(e => e.Stride)], dilation = [.. d.Select(e => e.KernelDilation)];
        var conv = new Conv(c.Out, kernelSize) { Strides = strides, KernelDilation = dilation, Padding = "VALID", UseBias = false };
        var transpose = new ConvTranspose(c.In, kernelSize) { Strides = strides, KernelDilation = dilation, Padding = "VALID", UseBias = false, TransposeKernel = true };
        var u = Nd.Random(c.Seed, [1, .. d.Select(e => (long)((e.Size - 1) * e.Stride + e.Effective)), c.In]).ToTensor();
        var v = Nd.Random(c.Seed + 1, [1, .. d.Select(e => (long)e.Size), c.Out]).ToTensor();
        var variables = conv.Init(PrngKey.FromSeed(c.Seed), u);
        var left = (conv.Apply(variables, u) * v).sum().item<float>();
        var right = (u * transpose.Apply(variables, v)).sum().item<float>();
        Assert.True(Math.Abs(left - right) <= 1e-4 * (1 + Math.Abs(left)), $"<Conv(u), v> = {left}, <u, ConvTranspose(v)> = {right}");
    });

    [Theory]
    [InlineData("VALID", new float[] { 1, 1, 3, 2, 2 })]
    [InlineData("SAME", new float[] { 1, 1, 3, 2 })]
    public void StrideTwoOnesKernelSpreadsTheInput(string padding, float[] expected)
    {
        // [1, 2] dilated by 2 is [1, 0, 2]; VALID pads (2, 2), SAME (2, 1) (k=3, s=2); a ones kernel sums 3 cells.
        var layer = new ConvTranspose(1, [3]) { Strides = [2], Padding = padding, KernelInit = Initializers.Ones };
        var x = tensor(new float[] { 1, 2 }, [1, 2, 1]);
        AssertEqual(expected, [1, expected.Length, 1], layer.Apply(layer.Init(PrngKey.FromSeed(0), x), x));
    }

    [Fact]
    public void CircularWithTransposedKernelScalesBySize()
    {
        // ConvTranspose docstring: (6, 6) kernel, strides (2, 2), CIRCULAR, transpose_kernel=True on ones((1, 15, 15, 3))
        // → kernel (6, 6, 4, 3), output (1, 30, 30, 4).
        var layer = new ConvTranspose(4, [6, 6]) { Strides = [2, 2], Padding = "CIRCULAR", TransposeKernel = true };
        var (output, variables) = layer.InitWithOutput(PrngKey.FromSeed(0), ones(1, 15, 15, 3));
        Assert.Equal([6L, 6, 4, 3], variables.Params["kernel"].shape);
        Assert.Equal([1L, 30, 30, 4], output.shape);
    }

    [Fact]
    public void BatchOfWidthOneImagesMatchesPlainLoops()
    {
        // LibTorch 2.10's (CPU) transposed convolution returns wrong values here (batch > 1, width and kernel width 1),
        // which is why input dilation runs as a plain convolution of the zero-dilated input.
        var layer = new ConvTranspose(3, [4, 1]) { Strides = [3, 1], Padding = "VALID", UseBias = false };
        var x = Nd.Random(7, 4, 4, 1, 2);
        var variables = layer.Init(PrngKey.FromSeed(0), x.ToTensor());
        var expected = Naive.Conv(x, Nd.Of(variables.Params["kernel"]), [1, 1], [(3, 3), (0, 0)], [3, 1], [1, 1], 1);
        AssertClose(expected, layer.Apply(variables, x.ToTensor()));
    }

    [Fact]
    public void GradientsReachKernelAndBiasThroughTheDilatedInput()
    {
        // VALID scatters every input cell onto every tap once: d(sum y)/d kernel = sum x = 2; d(sum y)/d bias = 5 outputs.
        var layer = new ConvTranspose(2, [3]) { Strides = [2], Padding = "VALID" };
        var x = ones(1, 2, 1);
        var variables = layer.Init(PrngKey.FromSeed(0), x);
        var grad = Autodiff.Grad(p => layer.Apply(Variables.FromParams(p), x).sum(), variables.Params);
        AssertEqual([.. Enumerable.Repeat(2f, 6)], [3, 1, 2], grad["kernel"]);
        AssertEqual([5, 5], [2], grad["bias"]);
    }

    [Fact]
    public void GradientsReachTheKernelFromOnePixel()
    {
        // LibTorch 2.10's slow_conv2d backward threw "grad_weight must be contiguous" for the permuted kernel here.
        // VALID pads the one cell by 2 on each side, so every tap meets it once: d(sum y)/d kernel = x = 1; 9 outputs for the bias.
        var layer = new ConvTranspose(1, [3, 3]) { Padding = "VALID" };
        var x = ones(1, 1, 1, 2);
        var variables = layer.Init(PrngKey.FromSeed(0), x);
        var grad = Autodiff.Grad(p => layer.Apply(Variables.FromParams(p), x).sum(), variables.Params);
        AssertEqual([.. Enumerable.Repeat(1f, 18)], [3, 3, 2, 1], grad["kernel"]);
        AssertEqual([9], [1], grad["bias"]);
    }

    [Fact]
    public void BadInputsAreNamedErrors()
    {
        var layer = new ConvTranspose(2, [3]) { Padding = Padding.Explicit((0, 0)) };
        Assert.Equal("ConvTranspose at '/': the input of shape (1, 1, 1) leaves no output in spatial dim 0 with ((0, 0)) padding: 1 against a dilated kernel size of 3.",
            Assert.Throws<InputShapeException>(() => layer.Init(PrngKey.FromSeed(0), ones(1, 1, 1))).Message);
        var variables = new ConvTranspose(2, [3]).Init(PrngKey.FromSeed(0), ones(1, 4, 3));
        Assert.Equal("ConvTranspose at '/': an input of shape (1, 4, 5) needs 'kernel' of shape (3, 5, 2), but the given variables hold (3, 3, 2). " +
            "Were they made for inputs with another number of features?",
            Assert.Throws<InputShapeException>(() => new ConvTranspose(2, [3]).Apply(variables, ones(1, 4, 5))).Message);
        Assert.Equal("ConvTranspose at '/': REFLECT padding is not available; use SAME, VALID, CIRCULAR or (lo, hi) pairs.",
            Assert.Throws<ArgumentException>(() => new ConvTranspose(2, [3]) { Padding = "REFLECT" }.Init(PrngKey.FromSeed(0), ones(1, 4, 3))).Message);
    }
}
