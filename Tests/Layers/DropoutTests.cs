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

/// <summary>Dropout: the Flax docstring golden values, statistics, keys and modes (spec/linen.md §B.4).</summary>
public class DropoutTests : LayerContract<Dropout>
{
    protected override Gen<Dropout> Layers =>
        from rate in Gen.Elements(0.0, 0.3, 0.5, 1.0)
        from broadcastDims in Gen.Elements<int[]>([], [0], [-1], [0, -1])
        from deterministic in Gen.Elements<bool?>(null, true, false)
        select new Dropout(rate) { BroadcastDims = broadcastDims, Deterministic = deterministic };

    protected override Gen<long[]> InputShapes(Dropout layer) => ShapeGen(1, 3, 4);

    /// <summary>Evaluation, and training with a dropout key; a layer forced active (<c>Deterministic = false</c>) always gets a key.</summary>
    protected override Gen<CallMode> Modes(Dropout layer) =>
        from key in LinenGen.Keys()
        from train in Gen.Elements(true, false)
        select train ? new CallMode(Rngs.Of(("dropout", key)), Train: true)
            : layer.Deterministic == false ? new CallMode(Rngs.Of(("dropout", key))) : CallMode.Inference;

    // flax/linen/stochastic.py: Dropout has no variables and keeps the input's shape.
    protected override FlaxExample Flax => new(new Dropout(0.5), ones(1, 4), [1, 4], new Dictionary<string, long[]>());

    /// <summary>The MLP of the <c>nn.Dropout</c> docstring: Dense(4) then Dropout(0.5).</summary>
    private sealed record DocstringMlp : Module
    {
        public override Tensor Call(Scope scope, Tensor input) => scope.Call(new Dropout(0.5), scope.Call(new Dense(4), input));
    }

    /// <summary>Calls one Dropout instance twice, as a module that reuses a layer does.</summary>
    private sealed record TwiceDropped(Dropout Layer) : Module
    {
        public override Tensor Call(Scope scope, Tensor input) => cat([scope.Call(Layer, input), scope.Call(Layer, input)]);
    }

    private static Rngs DropoutKey(long seed) => Rngs.Of(("dropout", PrngKey.FromSeed(seed)));

    [Fact]
    public void ReproducesTheFlaxDocstringExample()
    {
        // flax/linen/stochastic.py, Dropout docstring: init with key(0) on ones((1, 3)), apply with {'dropout': key(1)}.
        var x = ones(1, 3);
        var model = new DocstringMlp();
        var variables = model.Init(PrngKey.FromSeed(0), x);
        AssertClose([-0.17875527f, 1.6255447f, -1.2431065f, -0.02554005f], model.Apply(variables, x), 1e-6);
        AssertClose([-0.35751054f, 3.2510893f, 0f, 0f], model.Apply(variables, x, DropoutKey(1), train: true), 1e-6);
    }

    [Fact]
    public void TheDocstringMaskComesFromTheDropoutPathAndCount()
    {
        // spec/linen.md §A.5: ('Dropout_0', 1) under root key(1) gives mask [T, T, F, F] for p_keep = 0.5 on (1, 4).
        var x = tensor(new[] { 1f, 2f, 3f, 4f }, [1, 4]);
        Assert.Equal([2f, 4f, 0f, 0f], Values(new Wrapped(new Dropout(0.5)).Apply(Variables.Empty, x, DropoutKey(1), train: true)));
    }

    [Fact]
    public void KeepsAboutOneMinusRateAndScalesTheKeptValues()
    {
        var x = ones(100, 100);
        var y = Values(new Wrapped(new Dropout(0.3)).Apply(Variables.Empty, x, DropoutKey(7), train: true));
        var kept = y.Count(v => v != 0) / 10000.0;
        // Five standard deviations of a binomial proportion with p = 0.7, n = 10000.
        Assert.InRange(kept, 0.7 - 5 * Math.Sqrt(0.21 / 10000), 0.7 + 5 * Math.Sqrt(0.21 / 10000));
        Assert.All(y.Where(v => v != 0), v => Assert.Equal(1f / 0.7f, v));
    }

    [Fact]
    public void MasksAreDeterministicPerKeyAndNewOnEveryCall()
    {
        var x = ones(1, 64);
        var model = new Wrapped(new Dropout(0.5));
        var a = Values(model.Apply(Variables.Empty, x, DropoutKey(3), train: true));
        Assert.Equal(a, Values(model.Apply(Variables.Empty, x, DropoutKey(3), train: true)));
        Assert.NotEqual(a, Values(model.Apply(Variables.Empty, x, DropoutKey(4), train: true)));
        var twice = Values(new TwiceDropped(new Dropout(0.5)).Apply(Variables.Empty, x, DropoutKey(3), train: true));
        Assert.Equal(a, twice[..64]);
        Assert.NotEqual(twice[..64], twice[64..]);
    }

    [Fact]
    public void TheRngArgumentReplacesTheStream()
    {
        var x = ones(2, 8);
        var key = PrngKey.FromSeed(11);
        var y = Transform.Apply(Variables.Empty, scope => new Dropout(0.25).Call(scope, x, key), train: true);
        var expected = Sample.Bernoulli(key, [2, 8], 0.75f).Select(keep => keep ? 1f / 0.75f : 0f).ToArray();
        Assert.Equal(expected, Values(y));
    }

    [Fact]
    public void DeterministicOverridesTheModeAndRatesZeroAndOneNeedNoKey()
    {
        var x = Normal(0, 3, 4);
        Assert.Equal(Values(x), Values(new Wrapped(new Dropout(0.5)).Apply(Variables.Empty, x)));
        Assert.Equal(Values(x), Values(new Wrapped(new Dropout(0.5) { Deterministic = true }).Apply(Variables.Empty, x, train: true)));
        Assert.Equal(Values(x), Values(new Wrapped(new Dropout(0)).Apply(Variables.Empty, x, train: true)));
        Assert.Equal(new float[12], Values(new Wrapped(new Dropout(1)).Apply(Variables.Empty, x, train: true)));
        var forced = Values(new Wrapped(new Dropout(0.5) { Deterministic = false }).Apply(Variables.Empty, x, DropoutKey(1)));
        Assert.Contains(0f, forced);
    }

    [Fact]
    public void BroadcastDimsShareTheMaskAlongThoseAxes()
    {
        var y = new Wrapped(new Dropout(0.5) { BroadcastDims = [0, -1] }).Apply(Variables.Empty, ones(3, 6, 5), DropoutKey(2), train: true);
        var dropped = y.Eq(0).to_type(ScalarType.Float32);
        Assert.Equal(Values(dropped[0, .., 0]), Values(dropped.amax([0L, 2L])));
        Assert.Equal(Values(dropped[0, .., 0]), Values(dropped.amin([0L, 2L])));
    }

    [Fact]
    public void ActiveDropoutWithoutAKeyNamesTheModulePath()
    {
        var error = Assert.Throws<MissingRngException>(() => new Wrapped(new Dropout(0.5)).Apply(Variables.Empty, ones(2, 2), train: true));
        Assert.Equal("Module '/Dropout_0' needs a key of the 'dropout' RNG stream, but none was given. " +
            "Pass it to Apply, e.g. rngs: Rngs.Of((\"dropout\", key)).", error.Message);
    }

    [Fact]
    public void RatesOutsideZeroToOneAreRejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Wrapped(new Dropout(1.5)).Apply(Variables.Empty, ones(2)));
        Assert.Equal("Dropout at '/Dropout_0': the rate is a probability in [0, 1]. (Parameter 'Rate')\nActual value was 1.5.", error.Message);
    }
}
