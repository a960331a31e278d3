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

public class DenseTests : LayerContract<Dense>
{
    protected override Gen<Dense> Layers =>
        from features in Gen.Choose(1, 4)
        from useBias in Gen.Elements(true, false)
        from biasInit in Gen.Elements(Initializers.Zeros, Initializers.Normal(1f))
        select new Dense(features) { UseBias = useBias, BiasInit = biasInit };

    protected override Gen<long[]> InputShapes(Dense layer) => ShapeGen(1, 3, 4);

    protected override FlaxExample Flax =>
        new(new Dense(4), ones(2, 5, 3), [2, 5, 4], new Dictionary<string, long[]> { ["params/kernel"] = [3, 4], ["params/bias"] = [4] });

    /// <summary>A root module holding one Dense, as the MLP of Flax's Dropout docstring (so the Dense is <c>Dense_0</c>).</summary>
    private static readonly Module Mlp = new Wrapped(new Dense(4));

    public sealed record DenseCase(long[] Batch, int In, int Features, bool UseBias, int Seed)
    {
        public override string ToString() => $"batch {Show(Batch)}, in {In}, features {Features}, bias {UseBias}, seed {Seed}";
    }

    private static Arbitrary<DenseCase> DenseCases() => Arb.From(
        from batch in Gen.Choose(0, 2).SelectMany(rank => Gen.ArrayOf(Gen.Choose(1, 3).Select(d => (long)d), rank))
        from inFeatures in Gen.Choose(1, 4)
        from features in Gen.Choose(1, 4)
        from useBias in Gen.Elements(true, false)
        from seed in Gen.Choose(0, 10_000)
        select new DenseCase(batch, inFeatures, features, useBias, seed));

    [Property(MaxTest = 50)]
    public Property MatchesPlainLoops() => Prop.ForAll(DenseCases(), c =>
    {
        using var scope = NewDisposeScope();
        var layer = new Dense(c.Features) { UseBias = c.UseBias, BiasInit = Initializers.Normal(1f) };
        var x = Nd.Random(c.Seed, [.. c.Batch, c.In]);
        var variables = layer.Init(PrngKey.FromSeed(c.Seed), x.ToTensor());
        var expected = Naive.Contract(x, [c.Batch.Length], Nd.Of(variables.Params["kernel"]));
        if (c.UseBias) expected = Naive.AddBias(expected, Nd.Of(variables.Params["bias"]));
        AssertClose(expected, layer.Apply(variables, x.ToTensor()));
    });

    [Fact]
    public void OnesKernelSumsTheFeatures()
    {
        var layer = new Dense(2) { KernelInit = Initializers.Ones, BiasInit = Initializers.Constant(0.5f) };
        var x = tensor(new float[] { 1, 2, 3, -1, 0, 4 }, [2, 3]);
        var variables = layer.Init(PrngKey.FromSeed(0), x);
        AssertEqual([6.5f, 6.5f, 3.5f, 3.5f], [2, 2], layer.Apply(variables, x));
    }

    [Fact]
    public void KernelOfDense0IsLecunNormalOfItsDerivedKey()
    {
        // spec/linen.md A.5: the first 'params' draw of module /Dense_0 under key(0) is key [3043437727, 3662875008].
        var variables = Mlp.Init(PrngKey.FromSeed(0), ones(1, 3));
        var expected = Initializers.LecunNormal()(new PrngKey(3043437727, 3662875008), [3, 4]);
        Assert.Equal(expected, Nd.Of(variables.Params["Dense_0/kernel"]).Data);
        Assert.Equal(new float[4], Nd.Of(variables.Params["Dense_0/bias"]).Data);
    }

    [Fact]
    public void MatchesTheFlaxDropoutDocstringOutput()
    {
        // flax/linen/stochastic.py, Dropout docstring: MLP with Dense(4), init with key(0) on ones((1, 3)), applied without
        // dropout, prints [[-0.17875527, 1.6255447, -1.2431065, -0.02554005]].
        var model = Mlp;
        var x = ones(1, 3);
        var output = model.Apply(model.Init(PrngKey.FromSeed(0), x), x);
        AssertClose(new Nd([-0.17875527f, 1.6255447f, -1.2431065f, -0.02554005f], [1, 4]), output, 1e-6);
    }

    [Fact]
    public void ParamsAreCreatedInParamDtypeAndComputeFollowsDtype()
    {
        var x = ones(2, 3);
        var half = new Dense(4) { Dtype = ScalarType.BFloat16 };
        var variables = half.Init(PrngKey.FromSeed(0), x);
        Assert.Equal(ScalarType.Float32, variables.Params["kernel"].dtype);
        Assert.Equal(ScalarType.BFloat16, half.Apply(variables, x).dtype);

        var wide = new Dense(4) { ParamDtype = ScalarType.Float64 };
        var wideVariables = wide.Init(PrngKey.FromSeed(0), x);
        Assert.Equal(ScalarType.Float64, wideVariables.Params["kernel"].dtype);
        Assert.Equal(ScalarType.Float64, wide.Apply(wideVariables, x).dtype);
        Assert.Equal(ScalarType.Float32, new Dense(4).Apply(variables, ones([2, 3], ScalarType.Int32)).dtype);
    }

    [Fact]
    public void WithoutBiasHasOnlyAKernel()
    {
        var variables = new Dense(4) { UseBias = false }.Init(PrngKey.FromSeed(0), ones(3));
        Assert.Equal(["kernel"], variables.Params.Paths);
    }

    [Fact]
    public void InputOfAnotherWidthThanTheStoredKernelIsAnInputShapeError()
    {
        var variables = Mlp.Init(PrngKey.FromSeed(0), ones(2, 3));
        var error = Assert.Throws<InputShapeException>(() => Mlp.Apply(variables, ones(2, 5)));
        Assert.Equal("Dense at '/Dense_0': an input of shape (2, 5) needs 'kernel' of shape (5, 4), but the given variables hold (3, 4). " +
            "Were they made for inputs with another number of features?", error.Message);
    }

    [Fact]
    public void ScalarInputIsAnInputShapeError()
    {
        var error = Assert.Throws<InputShapeException>(() => new Dense(4).Init(PrngKey.FromSeed(0), tensor(1f)));
        Assert.Equal("Dense at '/': expected an input with at least one axis (…, features), got a scalar.", error.Message);
    }
}
