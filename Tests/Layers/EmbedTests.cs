using FsCheck;
using FsCheck.Fluent;
using Linen.Functional;
using Linen.Layers;
using Linen.Prng;
using Linen.Testing;
using Xunit;
using static Linen.Tests.Layers.TestValues;
using static TorchSharp.torch;

namespace Linen.Tests.Layers;

public class EmbedTests : LayerContract<Embed>
{
    private static readonly Tensor Indices = tensor(new long[] { 0, 1, 2, -1, -2, -3 }, [2, 3]);

    protected override Gen<Embed> Layers =>
        from numEmbeddings in Gen.Choose(1, 6)
        from features in Gen.Choose(1, 4)
        select new Embed(numEmbeddings, features);

    /// <summary>Index arrays of rank 0 (one index) to 3.</summary>
    protected override Gen<long[]> InputShapes(Embed layer) => ShapeGen(0, 3, 3);

    /// <summary>Indices over the whole valid range, negative ones (counted from the end) included: ⌊v·N⌋ for v in [-1, 1).</summary>
    protected override Tensor Input(Embed layer, RandomTensor values) =>
        (values with { Values = TensorValues.Uniform }).Create().Mul(layer.NumEmbeddings).floor().to_type(ScalarType.Int64);

    protected override FlaxExample Flax => new(new Embed(5, 3), Indices, [2, 3, 3], new Dictionary<string, long[]> { ["params/embedding"] = [5, 3] });

    /// <summary>Row i, column j holds 3·i + j.</summary>
    private static readonly Initializer Counting = (_, shape) => [.. Enumerable.Range(0, (int)(shape[0] * shape[1])).Select(i => (float)i)];

    [Fact]
    public void MatchesTheFlaxDocstring()
    {
        // flax/linen/linear.py, Embed docstring: Embed(5, 3) initialised with key(0) on [[0, 1, 2], [-1, -2, -3]].
        float[] table =
        [
            0.04396089f, -0.9328513f, -0.97328115f,
            0.41147125f, 0.66334754f, 0.49469155f,
            0.09719624f, 0.49861377f, 0.49519277f,
            -0.13316602f, 0.6697022f, 0.3710195f,
            -0.5039532f, 0.287319f, 1.4369922f,
        ];
        var layer = new Embed(5, 3);
        var variables = layer.Init(PrngKey.FromSeed(0), Indices);
        AssertClose(new Nd(table, [5, 3]), variables.Params["embedding"], 1e-6);
        int[] rows = [0, 1, 2, 4, 3, 2];
        AssertClose(new Nd([.. rows.SelectMany(r => table[(3 * r)..(3 * r + 3)])], [2, 3, 3]), layer.Apply(variables, Indices), 1e-6);
    }

    [Fact]
    public void InitialiserIsNormalWithVarianceOneOverFeatures()
    {
        // variance_scaling(1, fan_in, normal, out_axis=0) on (5, 3): fan_in = 3, so N(0, 1/3) from the root's first key.
        var variables = new Embed(5, 3).Init(PrngKey.FromSeed(0), Indices);
        var expected = Sample.Normal(new PrngKey(1428664606, 3351135085), 15).Select(v => (float)(v * Math.Sqrt(1.0 / 3))).ToArray();
        AssertClose(new Nd(expected, [5, 3]), variables.Params["embedding"], 1e-6);
    }

    private sealed record TiedLogits : Module
    {
        public override Tensor Call(Scope scope, Tensor input)
        {
            var embed = new Embed(4, 3) { EmbeddingInit = Counting };
            var hidden = scope.Bind(embed, s => embed.Call(s, input));
            return scope.Bind(embed, s => embed.Attend(s, hidden));
        }
    }

    [Fact]
    public void AttendSharesTheTableWithTheLookup()
    {
        var model = new TiedLogits();
        var ids = tensor(new long[] { 1 }, [1]);
        var variables = model.Init(PrngKey.FromSeed(0), ids);
        Assert.Equal(["Embed_0/embedding"], variables.Params.Paths);
        // [3, 4, 5] against rows [0, 1, 2], [3, 4, 5], [6, 7, 8], [9, 10, 11].
        AssertEqual([14, 50, 86, 122], [1, 4], model.Apply(variables, ids));
    }

    [Fact]
    public void DtypeSetsTheOutputType()
    {
        var layer = new Embed(5, 3) { Dtype = ScalarType.Float64 };
        var variables = layer.Init(PrngKey.FromSeed(0), Indices);
        Assert.Equal(ScalarType.Float32, variables.Params["embedding"].dtype);
        Assert.Equal(ScalarType.Float64, layer.Apply(variables, Indices).dtype);
    }

    [Theory]
    [InlineData(7, "index 7 at position (0, 1) of the input of shape (1, 2) is out of range for 5 embeddings (valid: -5 to 4).")]
    [InlineData(-6, "index -6 at position (0, 1) of the input of shape (1, 2) is out of range for 5 embeddings (valid: -5 to 4).")]
    public void IndexOutOfRangeIsAnInputShapeError(long index, string message)
    {
        var error = Assert.Throws<InputShapeException>(() => new Embed(5, 3).Init(PrngKey.FromSeed(0), tensor(new[] { 0, index }, [1, 2])));
        Assert.Equal("Embed at '/': " + message, error.Message);
    }

    [Fact]
    public void NonIntegerInputAndWrongQueryWidthAreInputShapeErrors()
    {
        Assert.Equal("Embed at '/': the input must hold integer indices, got Float32 of shape (2,).",
            Assert.Throws<InputShapeException>(() => new Embed(5, 3).Init(PrngKey.FromSeed(0), ones(2))).Message);
        Assert.Equal("Embed at '/': expected a query of shape (…, 3), got (2, 4).",
            Assert.Throws<InputShapeException>(() => Transform.Init(PrngKey.FromSeed(0), s => new Embed(5, 3).Attend(s, ones(2, 4)))).Message);
    }
}
