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

public class ConvTests : LayerContract<Conv>
{
    /// <summary>1-, 2- and 3-D convolutions with every padding kind, strides, both dilations and feature groups.</summary>
    protected override Gen<Conv> Layers =>
        from rank in Gen.Choose(1, 3)
        from pad in Gen.Elements(Enum.GetValues<PadChoice>().Where(p => rank == 1 || p != PadChoice.Causal))
        from kernel in Gen.ArrayOf(Gen.Choose(1, 3), rank)
        from strides in Gen.ArrayOf(Gen.Choose(1, 2), rank)
        from kernelDilation in Gen.ArrayOf(Gen.Choose(1, 2), rank)
        from inputDilation in Gen.ArrayOf(pad is PadChoice.Pairs or PadChoice.Int ? Gen.Choose(1, 2) : Gen.Constant(1), rank)
        from pairs in Gen.ArrayOf(from lo in Gen.Choose(0, 2) from hi in Gen.Choose(0, 2) select ((long)lo, (long)hi), rank)
        from intPad in Gen.Choose(0, 2)
        from groups in Gen.Choose(1, 2)
        from outPerGroup in Gen.Choose(1, 2)
        select new Conv(groups * outPerGroup, kernel)
        {
            Strides = strides, KernelDilation = kernelDilation, InputDilation = inputDilation, FeatureGroupCount = groups,
            BiasInit = Initializers.Normal(1f),
            Padding = pad switch { PadChoice.Pairs => Padding.Explicit(pairs), PadChoice.Int => intPad, _ => pad.ToString().ToUpperInvariant() },
        };

    /// <summary>0 to 2 batch dims, spatial sizes from the smallest that VALID or explicit pads allow, 1 or 2 features per group.</summary>
    protected override Gen<long[]> InputShapes(Conv layer)
    {
        var n = layer.KernelSize.Length;
        var pads = layer.Padding.Kind == PaddingKind.Explicit ? layer.Padding.PairsFor(n) : new (long Lo, long Hi)[n];
        var unpadded = layer.Padding.Kind is PaddingKind.Explicit or PaddingKind.Valid;
        var sizes = Enumerable.Range(0, n).Select(i =>
        {
            var effective = (layer.KernelSize[i] - 1) * layer.KernelDilation![i] + 1;
            var smallest = unpadded ? Math.Max(1, (effective - pads[i].Lo - pads[i].Hi - 2 + layer.InputDilation![i]) / layer.InputDilation[i] + 1) : 1;
            return Gen.Choose((int)smallest, (int)smallest + 2).Select(d => (long)d);
        });
        return from batch in Gen.Choose(0, 2).SelectMany(rank => Gen.ArrayOf(Gen.Choose(1, 2).Select(d => (long)d), rank))
               from spatial in Gen.CollectToArray(sizes, g => g)
               from inPerGroup in Gen.Choose(1, 2)
               select (long[])[.. batch, .. spatial, layer.FeatureGroupCount * inPerGroup];
    }

    // flax/linen/linear.py, Conv docstring: Conv(4, (3,), padding='VALID') on ones((1, 8, 3)) → kernel (3, 3, 4), output (1, 6, 4).
    protected override FlaxExample Flax => new(new Conv(4, [3]) { Padding = "VALID" }, ones(1, 8, 3), [1, 6, 4],
        new Dictionary<string, long[]> { ["params/kernel"] = [3, 3, 4], ["params/bias"] = [4] });

    public enum PadChoice { Same, Valid, Circular, Reflect, Causal, Pairs, Int }

    public sealed record Dim(int Kernel, int Stride, int KernelDilation, int InputDilation, int Lo, int Hi, int Size)
    {
        public int Effective => (Kernel - 1) * KernelDilation + 1;
        public override string ToString() => $"k{Kernel} s{Stride} kd{KernelDilation} id{InputDilation} pad({Lo},{Hi}) size{Size}";
    }

    public sealed record ConvCase(Dim[] Dims, PadChoice Pad, long[] Batch, int Groups, int InPerGroup, int OutPerGroup, int Seed)
    {
        public Padding Padding => Pad switch
        {
            PadChoice.Pairs => Padding.Explicit([.. Dims.Select(d => ((long)d.Lo, (long)d.Hi))]),
            PadChoice.Int => Dims[0].Lo,
            _ => Pad.ToString().ToUpperInvariant(),
        };

        public override string ToString() => $"{Pad} dims {Show(Dims)} batch {Show(Batch)} " +
            $"groups {Groups} in/group {InPerGroup} out/group {OutPerGroup} seed {Seed}";
    }

    private static Gen<Dim> Dims(PadChoice pad, int intPad) =>
        from kernel in Gen.Choose(1, 3)
        from stride in Gen.Choose(1, 2)
        from kernelDilation in Gen.Choose(1, 2)
        from inputDilation in pad is PadChoice.Pairs or PadChoice.Int ? Gen.Choose(1, 2) : Gen.Constant(1)
        from lo in pad == PadChoice.Pairs ? Gen.Choose(0, 2) : Gen.Constant(pad == PadChoice.Int ? intPad : 0)
        from hi in pad == PadChoice.Pairs ? Gen.Choose(0, 2) : Gen.Constant(lo)
        let needed = (kernel - 1) * kernelDilation + 1 - lo - hi
        let smallest = pad is PadChoice.Valid or PadChoice.Pairs or PadChoice.Int ? Math.Max(1, (needed - 2) / inputDilation + 2) : 1
        from size in Gen.Choose(smallest, smallest + 2)
        select new Dim(kernel, stride, kernelDilation, inputDilation, lo, hi, size);

    private static Arbitrary<ConvCase> ConvCases() => Arb.From(
        from rank in Gen.Choose(1, 3)
        from pad in Gen.Elements(Enum.GetValues<PadChoice>().Where(p => rank == 1 || p != PadChoice.Causal))
        from intPad in Gen.Choose(0, 2)
        from dims in Gen.ArrayOf(Dims(pad, intPad), rank)
        from batch in Gen.Choose(0, 2).SelectMany(n => Gen.ArrayOf(Gen.Choose(1, 2).Select(d => (long)d), n))
        from groups in Gen.Choose(1, 2)
        from inPerGroup in Gen.Choose(1, 2)
        from outPerGroup in Gen.Choose(1, 2)
        from seed in Gen.Choose(0, 10_000)
        select new ConvCase(dims, pad, batch, groups, inPerGroup, outPerGroup, seed));

    [Property(MaxTest = 80)]
    public Property MatchesPlainLoops() => Prop.ForAll(ConvCases(), c =>
    {
        using var scope = NewDisposeScope();
        var d = c.Dims;
        var layer = new Conv(c.Groups * c.OutPerGroup, [.. d.Select(x => x.Kernel)])
        {
            Strides = [.. d.Select(x => x.Stride)], KernelDilation = [.. d.Select(x => x.KernelDilation)],
            InputDilation = [.. d.Select(x => x.InputDilation)], Padding = c.Padding, FeatureGroupCount = c.Groups,
            BiasInit = Initializers.Normal(1f),
        };
        long[] sizes = [.. d.Select(x => (long)x.Size)];
        var x = Nd.Random(c.Seed, [.. c.Batch, .. sizes, c.Groups * c.InPerGroup]);
        var variables = layer.Init(PrngKey.FromSeed(c.Seed), x.ToTensor());

        var input = x with { Shape = [Nd.Numel(c.Batch), .. x.Shape[c.Batch.Length..]] };
        input = c.Pad switch
        {
            PadChoice.Circular => Naive.Pad(input, [.. d.Select(e => ((long)(e.Effective - 1) / 2, (long)e.Effective / 2))], Naive.Wrap),
            PadChoice.Reflect => Naive.Pad(input, [.. d.Select(e => ((long)(e.Effective - 1) / 2, (long)e.Effective / 2))], Naive.Reflect),
            PadChoice.Causal => Naive.Pad(input, [.. d.Select(e => ((long)e.Effective - 1, 0L))], Naive.ZeroOutside),
            _ => input,
        };
        (long, long)[] pads = c.Pad switch
        {
            PadChoice.Same => [.. d.Select(e => Naive.SamePads(e.Size, e.Effective, e.Stride))],
            PadChoice.Pairs or PadChoice.Int => [.. d.Select(e => ((long)e.Lo, (long)e.Hi))],
            _ => [.. d.Select(_ => (0L, 0L))],
        };
        var y = Naive.Conv(input, Nd.Of(variables.Params["kernel"]), [.. d.Select(e => (long)e.Stride)], pads,
            [.. d.Select(e => (long)e.InputDilation)], [.. d.Select(e => (long)e.KernelDilation)], c.Groups);
        y = Naive.AddBias(y, Nd.Of(variables.Params["bias"]));
        AssertClose(y with { Shape = [.. c.Batch, .. y.Shape[1..]] }, layer.Apply(variables, x.ToTensor()));
    });

    [Fact]
    public void SameWithStrideTwoPutsTheOddPadAfter()
    {
        // 'SAME', k=2, s=2 on 5 cells: out 3, one pad after (PyTorch's symmetric padding=k//2 would put it before).
        var layer = new Conv(1, [2]) { Strides = [2], KernelInit = Initializers.Ones };
        var x = tensor(new float[] { 1, 2, 3, 4, 5 }, [1, 5, 1]);
        AssertEqual([3, 7, 5], [1, 3, 1], layer.Apply(layer.Init(PrngKey.FromSeed(0), x), x));
    }

    [Fact]
    public void OnesKernelOnOnesCountsTheCellsUnderTheWindow()
    {
        var layer = new Conv(1, [3, 3]) { KernelInit = Initializers.Ones };
        var x = ones(1, 3, 4, 2);
        AssertEqual([8, 12, 12, 8, 12, 18, 18, 12, 8, 12, 12, 8], [1, 3, 4, 1], layer.Apply(layer.Init(PrngKey.FromSeed(0), x), x));
    }

    [Fact]
    public void CircularStrideTwoOnAnUnbatchedInput()
    {
        // Conv docstring: Conv(4, (3, 3), strides=2, padding='CIRCULAR') on ones((1, 8, 3)) (one unbatched 1×8 image)
        // → kernel (3, 3, 3, 4), output (1, 4, 4); each output is the sum of all 27 kernel entries.
        var layer = new Conv(4, [3, 3]) { Strides = [2], Padding = "CIRCULAR" };
        var x = ones(1, 8, 3);
        var (output, variables) = layer.InitWithOutput(PrngKey.FromSeed(0), x);
        Assert.Equal([3L, 3, 3, 4], variables.Params["kernel"].shape);
        var sums = Nd.Of(variables.Params["kernel"].sum([0, 1, 2]).expand(1, 4, 4).contiguous());
        AssertClose(sums, output, 1e-5);
    }

    [Fact]
    public void CausalOutputSeesOnlyThePast()
    {
        var layer = new Conv(1, [3]) { Padding = "CAUSAL", KernelDilation = [2], KernelInit = Initializers.Ones };
        var x = tensor(new float[] { 1, 10, 100, 1000, 10000 }, [1, 5, 1]);
        AssertEqual([1, 10, 101, 1010, 10101], [1, 5, 1], layer.Apply(layer.Init(PrngKey.FromSeed(0), x), x));
    }

    [Fact]
    public void OneChannelInputGivesTheSameRightValuesEveryCall()
    {
        // The channels-first view of a one-channel NHWC input counts as contiguous and as channels-last at once; with those
        // strides LibTorch 2.10's CPU convolution returned values that changed from call to call (found by MatchesPlainLoops).
        using var scope = NewDisposeScope();
        var layer = new Conv(2, [2, 3]) { Strides = [1, 2], KernelDilation = [2, 1], BiasInit = Initializers.Normal(1f) };
        var x = Nd.Random(3075, 2, 3, 2, 1);
        var variables = layer.Init(PrngKey.FromSeed(3075), x.ToTensor());
        // SAME: 3 rows under a dilated kernel of 3 → pads (1, 1); 2 columns at stride 2 under a kernel of 3 → (0, 1).
        var expected = Naive.AddBias(Naive.Conv(x, Nd.Of(variables.Params["kernel"]), [1, 2], [(1, 1), (0, 1)], [1, 1], [2, 1], 1),
            Nd.Of(variables.Params["bias"]));
        var input = x.ToTensor();
        for (var call = 0; call < 300; call++)
        {
            using var step = NewDisposeScope();
            AssertClose(expected, layer.Apply(variables, input));
        }
    }

    [Fact]
    public void GroupedConvolutionOfABatchMatchesPlainLoops()
    {
        // LibTorch 2.10 (CPU) gets this wrong on the permuted NHWC input unless it is made contiguous.
        var layer = new Conv(4, [3]) { FeatureGroupCount = 2, Padding = "VALID", UseBias = false };
        var x = Nd.Random(7, 3, 5, 2);
        var variables = layer.Init(PrngKey.FromSeed(0), x.ToTensor());
        var expected = Naive.Conv(x, Nd.Of(variables.Params["kernel"]), [1], [(0, 0)], [1], [1], 2);
        AssertClose(expected, layer.Apply(variables, x.ToTensor()));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void GroupedConvolutionOfOnePixelMatchesPlainLoops(int rank)
    {
        // LibTorch 2.10 (CPU) reads the channels-first view of a 1×1 image, which counts as contiguous with the permute's
        // strides, as channels-last in a grouped convolution and returned wrong values (found by the contract's cases).
        var layer = new Conv(4, [.. Enumerable.Repeat(2, rank)]) { FeatureGroupCount = 2, Padding = 1, UseBias = false };
        var x = Nd.Random(3, [2, .. Enumerable.Repeat(1L, rank), 2]);
        var variables = layer.Init(PrngKey.FromSeed(0), x.ToTensor());
        var expected = Naive.Conv(x, Nd.Of(variables.Params["kernel"]), [.. Enumerable.Repeat(1L, rank)], [.. Enumerable.Repeat((1L, 1L), rank)],
            [.. Enumerable.Repeat(1L, rank)], [.. Enumerable.Repeat(1L, rank)], 2);
        AssertClose(expected, layer.Apply(variables, x.ToTensor()));
    }

    [Fact]
    public void BadInputsAreInputShapeErrorsNamingPathAndShapes()
    {
        var conv = new Wrapped(new Conv(4, [3, 3]) { Padding = "VALID" });
        var variables = conv.Init(PrngKey.FromSeed(0), ones(1, 5, 5, 3));
        Assert.Equal("Conv at '/Conv_0': expected an input of rank at least 3 (batch…, 2 spatial dims, features) for a 2-D kernel, got shape (5, 3).",
            Assert.Throws<InputShapeException>(() => conv.Apply(variables, ones(5, 3))).Message);
        Assert.Equal("Conv at '/Conv_0': an input of shape (1, 5, 5, 2) needs 'kernel' of shape (3, 3, 2, 4), but the given variables hold (3, 3, 3, 4). " +
            "Were they made for inputs with another number of features?",
            Assert.Throws<InputShapeException>(() => conv.Apply(variables, ones(1, 5, 5, 2))).Message);
        Assert.Equal("Conv at '/Conv_0': the input of shape (1, 2, 5, 3) is smaller than the kernel in spatial dim 0 with VALID padding: 2 against a dilated kernel size of 3.",
            Assert.Throws<InputShapeException>(() => conv.Apply(variables, ones(1, 2, 5, 3))).Message);
        Assert.Equal("Conv at '/': FeatureGroupCount 2 must divide both the input's 3 features (input shape (1, 5, 3)) and Features (4).",
            Assert.Throws<InputShapeException>(() => new Conv(4, [3]) { FeatureGroupCount = 2 }.Init(PrngKey.FromSeed(0), ones(1, 5, 3))).Message);
    }

    [Fact]
    public void UnsupportedHyperparametersAreArgumentErrors()
    {
        Assert.Equal("Conv at '/': CAUSAL padding is only implemented for 1-D convolutions, got a 2-D kernel.",
            Assert.Throws<ArgumentException>(() => new Conv(1, [2, 2]) { Padding = "CAUSAL" }.Init(PrngKey.FromSeed(0), ones(1, 4, 4, 1))).Message);
        Assert.Equal("Conv at '/': SAME padding with InputDilation is not implemented (as in lax.conv_general_dilated); give explicit (lo, hi) pairs.",
            Assert.Throws<ArgumentException>(() => new Conv(1, [2]) { InputDilation = [2] }.Init(PrngKey.FromSeed(0), ones(1, 4, 1))).Message);
    }
}
