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

public class DenseGeneralTests : LayerContract<DenseGeneral>
{
    private static readonly int[][] AxisChoices = [[-1], [0], [-2], [-2, -1], [1, -1], [0, -1], [2, 0]];

    protected override Gen<DenseGeneral> Layers =>
        from features in Gen.Choose(1, 2).SelectMany(rank => Gen.ArrayOf(Gen.Choose(1, 3), rank))
        from axis in Gen.Elements(AxisChoices)
        from useBias in Gen.Elements(true, false)
        select new DenseGeneral(features) { Axis = axis, UseBias = useBias, BiasInit = Initializers.Normal(1f) };

    /// <summary>Ranks up to 4 in which the layer's axes exist and are distinct.</summary>
    protected override Gen<long[]> InputShapes(DenseGeneral layer) =>
        ShapeGen(1, 4, 3).Where(shape => layer.Axis.Select(a => a < 0 ? a + shape.Length : a).Distinct().Count(a => a >= 0 && a < shape.Length) == layer.Axis.Length);

    // flax/linen/linear.py, DenseGeneral docstring: features (4, 5), axis (1, -1) on (1, 3, 6, 7) → kernel (3, 7, 4, 5), bias (4, 5).
    protected override FlaxExample Flax => new(new DenseGeneral([4, 5]) { Axis = [1, -1] }, ones(1, 3, 6, 7), [1, 6, 4, 5],
        new Dictionary<string, long[]> { ["params/kernel"] = [3, 7, 4, 5], ["params/bias"] = [4, 5] });

    public sealed record GeneralCase(long[] Shape, int[] Axis, int[] Features, int Seed)
    {
        public override string ToString() =>
            $"input {Show(Shape)}, axis {Show(Axis)}, features {Show(Features)}, seed {Seed}";
    }

    private static Arbitrary<GeneralCase> GeneralCases() => Arb.From(
        from shape in Gen.Choose(1, 4).SelectMany(rank => Gen.ArrayOf(Gen.Choose(1, 3).Select(d => (long)d), rank))
        from chosen in Gen.SubListOf(Enumerable.Range(0, shape.Length)).Where(axes => axes.Count > 0)
        from axis in Gen.CollectToArray(chosen, a => Gen.Elements(a, a - shape.Length))
        from order in Gen.Shuffle(axis)
        from features in Gen.Choose(1, 2).SelectMany(rank => Gen.ArrayOf(Gen.Choose(1, 3), rank))
        from seed in Gen.Choose(0, 10_000)
        select new GeneralCase(shape, order, features, seed));

    [Property(MaxTest = 50)]
    public Property MatchesPlainLoops() => Prop.ForAll(GeneralCases(), c =>
    {
        using var scope = NewDisposeScope();
        var layer = new DenseGeneral(c.Features) { Axis = c.Axis, BiasInit = Initializers.Normal(1f) };
        var x = Nd.Random(c.Seed, c.Shape);
        var variables = layer.Init(PrngKey.FromSeed(c.Seed), x.ToTensor());
        long[] axes = [.. c.Axis.Select(a => (long)(a < 0 ? a + c.Shape.Length : a)).Order()];
        var expected = Naive.AddBias(Naive.Contract(x, axes, Nd.Of(variables.Params["kernel"])), Nd.Of(variables.Params["bias"]));
        AssertClose(expected, layer.Apply(variables, x.ToTensor()));
    });

    [Fact]
    public void InitialisersSeeTheFlattenedShape()
    {
        // Flax initialises (prod(contracted), prod(features)) = (21, 20) and reshapes, so fan-in is 3·7.
        var seen = new List<long[]>();
        var layer = new DenseGeneral([4, 5]) { Axis = [1, -1], KernelInit = (key, shape) => { seen.Add(shape); return Initializers.LecunNormal()(key, shape); } };
        var variables = layer.Init(PrngKey.FromSeed(0), ones(1, 3, 6, 7));
        Assert.Equal([21L, 20L], seen.Single());
        var flat = Initializers.LecunNormal()(new PrngKey(1428664606, 3351135085), [21, 20]);
        Assert.Equal(flat, Nd.Of(variables.Params["kernel"]).Data);
    }

    [Fact]
    public void RepeatedAxisIsAnInputShapeError()
    {
        var error = Assert.Throws<InputShapeException>(() => new DenseGeneral([2]) { Axis = [1, -1] }.Init(PrngKey.FromSeed(0), ones(3, 4)));
        Assert.Equal("DenseGeneral at '/': Axis (1, -1) must name distinct axes of the input of shape (3, 4).", error.Message);
    }
}
