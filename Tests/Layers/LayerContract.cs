using Linen.Functional;
using Linen.Prng;
using Xunit;
using static TorchSharp.torch;
using Shapes = Linen.Functional.Shapes;

namespace Linen.Tests.Layers;

/// <summary>
/// What every layer of this folder promises: Flax's parameter names and shapes, an output shape known from the
/// hyperparameters, the same output from Init and from Apply, and an Apply that changes no variable.
/// </summary>
public abstract class LayerContract
{
    /// <summary>The layer under test.</summary>
    protected abstract Module Layer { get; }

    /// <summary>A sample input.</summary>
    protected abstract Tensor Input { get; }

    /// <summary>The output shape Flax gives for <see cref="Input"/>.</summary>
    protected abstract long[] ExpectedOutputShape { get; }

    /// <summary>The parameter paths and shapes Flax creates, e.g. <c>kernel (3, 4)</c>.</summary>
    protected abstract IReadOnlyDictionary<string, long[]> ExpectedParams { get; }

    [Fact]
    public void InitCreatesFlaxParamNamesAndShapes()
    {
        var variables = Layer.Init(PrngKey.FromSeed(0), Input);
        Assert.Equal(ExpectedParams.Keys.Order(StringComparer.Ordinal), variables.Params.Paths);
        foreach (var (path, shape) in ExpectedParams)
            Assert.Equal(Shapes.Format(shape), Shapes.Format(variables.Params[path].shape));
    }

    [Fact]
    public void InitOutputEqualsApplyOutputWithThePredictedShape()
    {
        var (initOutput, variables) = Layer.InitWithOutput(PrngKey.FromSeed(1), Input);
        var output = Layer.Apply(variables, Input);
        Assert.Equal(Shapes.Format(ExpectedOutputShape), Shapes.Format(initOutput.shape));
        Assert.Equal(Nd.Of(initOutput).Data, Nd.Of(output).Data);
    }

    [Fact]
    public void ApplyChangesNoVariable()
    {
        var variables = Layer.Init(PrngKey.FromSeed(2), Input);
        var before = variables.Params.Map(t => t.clone());
        Layer.Apply(variables, Input);
        Assert.True(ParamTree.AllClose(before, variables.Params, 0, 0));
    }
}
