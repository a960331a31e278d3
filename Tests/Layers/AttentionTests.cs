using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Linen.Functional;
using Linen.Layers;
using Linen.Prng;
using Linen.Testing;
using Xunit;
using static Linen.Tests.Layers.TestValues;
using static TorchSharp.torch;

namespace Linen.Tests.Layers;

/// <summary>MultiHeadDotProductAttention and SelfAttention: layout, a plain-loop reference, invariants, errors (spec/linen.md §B.4).</summary>
public class AttentionTests : LayerContract<MultiHeadDotProductAttention>
{
    private static readonly PrngKey Key = PrngKey.FromSeed(0);

    /// <summary>
    /// Heads, head sizes (or the input's features), output sizes, query/key norms, biases and attention dropout. With
    /// query/key norms the heads are 4 wide: their LayerNorms use the fast variance E[x²] − E[x]², which cancels in float64
    /// too when a head's values nearly tie (likely among 2 of them, not 4), and that round-off, moved by every step of
    /// the projection kernels, swamps their finite differences.
    /// </summary>
    internal static Gen<MultiHeadDotProductAttention> Attentions =>
        from heads in Gen.Choose(1, 3)
        from normalizeQk in Gen.Elements(true, false)
        from headDim in normalizeQk ? Gen.Constant<int?>(4) : Gen.Elements<int?>(null, 1, 2)
        from outFeatures in Gen.Elements<int?>(null, 1, 3)
        from useBias in Gen.Elements(true, false)
        from dropoutRate in Gen.Elements(0.0, 0.0, 0.3)
        select new MultiHeadDotProductAttention(heads)
        {
            QkvFeatures = headDim * heads, OutFeatures = outFeatures, NormalizeQk = normalizeQk, UseBias = useBias,
            DropoutRate = dropoutRate, BiasInit = Initializers.Normal(1f),
        };

    /// <summary><c>[batch?, length, features]</c>, with features the heads divide when they set the qkv size.</summary>
    internal static Gen<long[]> AttentionInputs(MultiHeadDotProductAttention attention) =>
        from batch in Gen.Choose(0, 1).SelectMany(rank => Gen.ArrayOf(Gen.Choose(1, 2).Select(d => (long)d), rank))
        from length in Gen.Choose(1, 4)
        from features in attention.QkvFeatures is null ? Gen.Choose(1, 2).Select(m => m * attention.NumHeads) : Gen.Choose(1, 4)
        select (long[])[.. batch, length, features];

    /// <summary>Evaluation, and training with a dropout key when attention dropout is on.</summary>
    internal static Gen<CallMode> AttentionModes(MultiHeadDotProductAttention attention) => attention.DropoutRate == 0
        ? Gen.Constant(CallMode.Inference)
        : from key in LinenGen.Keys()
          from train in Gen.Elements(true, false)
          select train ? new CallMode(Rngs.Of(("dropout", key)), Train: true) : CallMode.Inference;

    /// <summary>The variables of <see cref="Flax"/>: flax/linen/attention.py's DenseGeneral projections with (heads, head_dim) axes.</summary>
    internal static IReadOnlyDictionary<string, long[]> FlaxVariables => new Dictionary<string, long[]>
    {
        ["params/query/kernel"] = [6, 2, 4], ["params/query/bias"] = [2, 4], ["params/key/kernel"] = [6, 2, 4], ["params/key/bias"] = [2, 4],
        ["params/value/kernel"] = [6, 2, 4], ["params/value/bias"] = [2, 4], ["params/out/kernel"] = [2, 4, 3], ["params/out/bias"] = [3],
    };

    protected override Gen<MultiHeadDotProductAttention> Layers => Attentions;

    protected override Gen<long[]> InputShapes(MultiHeadDotProductAttention layer) => AttentionInputs(layer);

    protected override Gen<CallMode> Modes(MultiHeadDotProductAttention layer) => AttentionModes(layer);

    protected override FlaxExample Flax =>
        new(new MultiHeadDotProductAttention(2) { QkvFeatures = 8, OutFeatures = 3 }, ones(2, 5, 6), [2, 5, 3], FlaxVariables);

    /// <summary>The case of one reference comparison: sizes, whether a mask blocks some pairs, and the input seed.</summary>
    public sealed record Case(int Batch, int Lq, int Lk, int Features, int Heads, int HeadDim, int OutFeatures, bool Masked, int Seed);

    private static readonly Gen<Case> Cases =
        from batch in Gen.Choose(1, 2) from lq in Gen.Choose(1, 4) from lk in Gen.Choose(1, 4) from features in Gen.Choose(1, 5)
        from heads in Gen.Choose(1, 3) from headDim in Gen.Choose(1, 3) from outFeatures in Gen.Choose(1, 4)
        from masked in Gen.Elements(false, true) from seed in Gen.Choose(0, 1000)
        select new Case(batch, lq, lk, features, heads, headDim, outFeatures, masked, seed);

    private static float[] Param(Variables v, string path) => Values(v.Params[path]);

    [Property(MaxTest = 30)]
    public Property MatchesNaiveReference() => Prop.ForAll(Arb.From(Cases), c =>
    {
        using var _ = NewDisposeScope();
        var xq = Normal(c.Seed, c.Batch, c.Lq, c.Features);
        var xkv = Normal(c.Seed + 1, c.Batch, c.Lk, c.Features);
        bool Allowed(int b, int i, int j) => !c.Masked || (b + 2 * i + j) % 3 != 0;
        var mask = tensor(Nd.Indices([c.Batch, 1, c.Lq, c.Lk]).Select(ix => Allowed((int)ix[0], (int)ix[2], (int)ix[3])).ToArray(),
            [c.Batch, 1, c.Lq, c.Lk]);
        var model = new MultiHeadDotProductAttention(c.Heads)
        {
            QkvFeatures = c.Heads * c.HeadDim, OutFeatures = c.OutFeatures, BiasInit = Initializers.Normal(1f),
        };
        var variables = Transform.Init(Key, s => model.Attend(s, xq, xkv)).Variables;
        var y = Transform.Apply(variables, s => model.Attend(s, xq, xkv, mask: c.Masked ? mask : null));

        int qkv = c.Heads * c.HeadDim;
        // Each projection as a plain (rows, in) · (in, out) + bias: the kernels' row-major values flatten (in…, out…) alike.
        float[] Linear(float[] x, string name, int rows, int inSize, int outSize) => Naive.AddBias(
            Naive.Contract(new Nd(x, [rows, inSize]), [1], new Nd(Param(variables, $"{name}/kernel"), [inSize, outSize])),
            new Nd(Param(variables, $"{name}/bias"), [outSize])).Data;
        float[] Project(string name, Tensor x, int rows) => Linear(Values(x), name, rows, c.Features, qkv);
        var attended = Naive.Attention(Project("query", xq, c.Batch * c.Lq), Project("key", xkv, c.Batch * c.Lk),
            Project("value", xkv, c.Batch * c.Lk), c.Batch, c.Lq, c.Lk, c.Heads, c.HeadDim, Allowed);
        var expected = Linear(attended, "out", c.Batch * c.Lq, qkv, c.OutFeatures);
        return (y.shape.SequenceEqual(new long[] { c.Batch, c.Lq, c.OutFeatures }) && Close(expected, Values(y), 1e-4)).Label(c.ToString());
    });

    [Fact]
    public void ParametersHaveFlaxNamesShapesAndFlattenedInitShapes()
    {
        var seen = new List<string>();
        Initializer recording = (key, shape) => { seen.Add(string.Join("x", shape)); return Initializers.Zeros(key, shape); };
        var model = new MultiHeadDotProductAttention(2) { QkvFeatures = 8, OutFeatures = 3, KernelInit = recording, BiasInit = recording };
        var variables = model.Init(Key, Normal(0, 2, 5, 6));
        Assert.Equal(["params/key/bias", "params/key/kernel", "params/out/bias", "params/out/kernel", "params/query/bias",
            "params/query/kernel", "params/value/bias", "params/value/kernel"], variables.Tree.Paths);
        Assert.Equal([6L, 2, 4], variables.Params["query/kernel"].shape);
        Assert.Equal([2L, 4], variables.Params["value/bias"].shape);
        Assert.Equal([2L, 4, 3], variables.Params["out/kernel"].shape);
        Assert.Equal([3L], variables.Params["out/bias"].shape);
        Assert.Equal(["6x8", "8", "6x8", "8", "6x8", "8", "8x3", "3"], seen);
    }

    [Fact]
    public void QueryAndKeyNormalizationAddsScaleOnlyLayerNorms()
    {
        var variables = new MultiHeadDotProductAttention(2) { NormalizeQk = true }.Init(Key, Normal(0, 1, 3, 4));
        Assert.Equal([2L], variables.Params["query_ln/scale"].shape);
        Assert.False(variables.Params.Contains("key_ln/bias"));
        Assert.True(variables.Params.Contains("key_ln/scale"));
    }

    [Property(MaxTest = 15)]
    public Property SelfAttentionWithoutMaskIsPermutationEquivariant() => Prop.ForAll(
        Arb.From(Gen.Choose(2, 6)), Arb.From(Gen.Choose(0, 1000)), (length, seed) =>
    {
        using var _ = NewDisposeScope();
        var x = Normal(seed, 2, length, 4);
        var permutation = tensor(Sample.Permutation(PrngKey.FromSeed(seed), length).Select(i => (long)i).ToArray());
        var model = new MultiHeadDotProductAttention(2);
        var variables = model.Init(Key, x);
        var permutedOutput = model.Apply(variables, x.index_select(1, permutation));
        return Close(Values(model.Apply(variables, x).index_select(1, permutation)), Values(permutedOutput), 1e-5).Label($"length {length}");
    });

    [Fact]
    public void CausalMaskMakesEachOutputIndependentOfLaterInputs()
    {
        var x = Normal(5, 1, 6, 4);
        var mask = Masks.MakeCausalMask(zeros(1, 6));
        var model = new MultiHeadDotProductAttention(2);
        var variables = model.Init(Key, x);
        var y = Transform.Apply(variables, s => model.Attend(s, x, mask: mask));
        for (var t = 0; t < 5; t++)
        {
            var changed = x.clone();
            changed[.., (t + 1)..] = Normal(t + 10, 1, 5 - t, 4);
            var y2 = Transform.Apply(variables, s => model.Attend(s, changed, mask: mask));
            Assert.Equal(Values(y[.., ..(t + 1)]), Values(y2[.., ..(t + 1)]));
            Assert.NotEqual(Values(y[.., (t + 1)..]), Values(y2[.., (t + 1)..]));
        }
    }

    [Fact]
    public void ComputeTypeAndParameterTypeAreSeparate()
    {
        var x = Normal(3, 2, 3, 4);
        var model = new MultiHeadDotProductAttention(2) { Dtype = ScalarType.BFloat16 };
        var variables = model.Init(Key, x);
        Assert.All(variables.Params.Leaves, p => Assert.Equal(ScalarType.Float32, p.dtype));
        var y = model.Apply(variables, x);
        Assert.Equal(ScalarType.BFloat16, y.dtype);
        AssertClose(Values(new MultiHeadDotProductAttention(2).Apply(variables, x)), y, 3e-2);
        Assert.Equal(ScalarType.BFloat16, new MultiHeadDotProductAttention(2) { ParamDtype = ScalarType.BFloat16 }.Init(Key, x).Params["out/bias"].dtype);
    }

    [Fact]
    public void AttentionDropoutIsActiveOnlyInTrainingAndNeedsTheDropoutStream()
    {
        var x = Normal(2, 2, 4, 4);
        var model = new Wrapped(new MultiHeadDotProductAttention(2) { DropoutRate = 0.5 });
        var variables = model.Init(Key, x);
        var eval = Values(model.Apply(variables, x));
        var train = Values(model.Apply(variables, x, Rngs.Of(("dropout", PrngKey.FromSeed(1))), train: true));
        Assert.NotEqual(eval, train);
        Assert.Equal(train, Values(model.Apply(variables, x, Rngs.Of(("dropout", PrngKey.FromSeed(1))), train: true)));
        var error = Assert.Throws<MissingRngException>(() => model.Apply(variables, x, train: true));
        Assert.Equal("Module '/MultiHeadDotProductAttention_0' needs a key of the 'dropout' RNG stream, but none was given. " +
            "Pass it to Apply, e.g. rngs: Rngs.Of((\"dropout\", key)).", error.Message);
    }

    [Fact]
    public void HeadsThatDoNotDivideTheFeaturesAreRejected()
    {
        var error = Assert.Throws<InputShapeException>(() => new Wrapped(new MultiHeadDotProductAttention(4)).Init(Key, Normal(0, 2, 3, 6)));
        Assert.Equal("MultiHeadDotProductAttention at '/MultiHeadDotProductAttention_0': the qkv features (6) must be divisible by the number of heads (4).",
            error.Message);
    }

    [Fact]
    public void InputsOfTheWrongRankAreRejected()
    {
        var error = Assert.Throws<InputShapeException>(() => new MultiHeadDotProductAttention(1).Init(Key, Normal(0, 6)));
        Assert.Equal("MultiHeadDotProductAttention at '/': query, key and value inputs need one rank ≥ 2, [batch…, length, features]; " +
            "got (6,), (6,), (6,).", error.Message);
    }

    [Fact]
    public void AMaskThatDoesNotBroadcastIsRejectedWithThePath()
    {
        var x = Normal(0, 2, 3, 4);
        var model = new MultiHeadDotProductAttention(2);
        var variables = model.Init(Key, x);
        var error = Assert.Throws<InputShapeException>(() => Transform.Apply(variables, s => model.Attend(s, x, mask: ones(2, 1, 3, 5))));
        Assert.Equal("MultiHeadDotProductAttention at '/': The attention mask of shape (2, 1, 3, 5) does not broadcast to the attention " +
            "weights (2, 2, 3, 3) [batch…, heads, q, kv].", error.Message);
    }

    [Fact]
    public void AValueWithoutAKeyIsRejected()
    {
        var x = Normal(0, 1, 3, 4);
        var model = new MultiHeadDotProductAttention(2);
        var error = Assert.Throws<ArgumentException>(() => Transform.Init(Key, s => model.Attend(s, x, inputsV: x)));
        Assert.Equal("MultiHeadDotProductAttention at '/': a value input needs a key input; to use one tensor for both, pass it as the key " +
            "and leave the value null. (Parameter 'inputsV')", error.Message);
    }
}
