using FsCheck;
using FsCheck.Fluent;
using Linen.Layers;
using Linen.Prng;
using Xunit;
using static Linen.Tests.Layers.TestValues;
using static TorchSharp.torch;

namespace Linen.Tests.Layers;

/// <summary>PReLU: one learned negative slope (flax/linen/activation.py).</summary>
public class PReluTests : LayerContract<PRelu>
{
    private static readonly Tensor X = tensor(new[] { -2f, -0.5f, 0f, 1f, 3f });

    protected override Gen<PRelu> Layers => Gen.Elements(0.01f, 0.25f, -0.5f).Select(slope => new PRelu { NegativeSlopeInit = slope });

    protected override Gen<long[]> InputShapes(PRelu layer) => ShapeGen(1, 3, 4);

    // flax/linen/activation.py: PReLU's negative_slope is a scalar parameter.
    protected override FlaxExample Flax => new(new PRelu(), X, [5], new Dictionary<string, long[]> { ["params/negative_slope"] = [] });

    [Fact]
    public void PReluLearnsOneNegativeSlope()
    {
        var variables = new PRelu().Init(PrngKey.FromSeed(0), X);
        Assert.Empty(variables.Params["negative_slope"].shape);
        Assert.Equal(0.01f, variables.Params["negative_slope"].item<float>());
        AssertClose([-0.02f, -0.005f, 0f, 1f, 3f], new PRelu().Apply(variables, X), 1e-7);
        Assert.Equal("PReLU", new PRelu().TypeName);
    }
}
