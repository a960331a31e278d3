using FsCheck;
using FsCheck.Fluent;
using Linen.Functional;
using Linen.Layers;
using Linen.Prng;
using Xunit;
using static Linen.Tests.Layers.TestValues;
using static TorchSharp.torch;

namespace Linen.Tests.Layers;

/// <summary>MultiHeadAttention: MultiHeadDotProductAttention under Flax's older name.</summary>
public class MultiHeadAttentionTests : LayerContract<MultiHeadAttention>
{
    private static readonly PrngKey Key = PrngKey.FromSeed(0);

    protected override Gen<MultiHeadAttention> Layers => AttentionTests.Attentions.Select(a => new MultiHeadAttention(a));

    protected override Gen<long[]> InputShapes(MultiHeadAttention layer) => AttentionTests.AttentionInputs(layer.Attention);

    protected override Gen<CallMode> Modes(MultiHeadAttention layer) => AttentionTests.AttentionModes(layer.Attention);

    protected override FlaxExample Flax => new(new MultiHeadAttention(new MultiHeadDotProductAttention(2) { QkvFeatures = 8, OutFeatures = 3 }),
        ones(2, 5, 6), [2, 5, 3], AttentionTests.FlaxVariables);

    /// <summary>Half the cases: the computation is MultiHeadDotProductAttention's, whose contract runs them all; this one checks the wrapper.</summary>
    protected override int MaxTest => 10;

    /// <inheritdoc cref="MaxTest"/>
    protected override int GradientMaxTest => 4;

    [Fact]
    public void MultiHeadAttentionIsTheSameLayerUnderItsOwnName()
    {
        var x = Normal(1, 2, 3, 4);
        var attention = new MultiHeadDotProductAttention(2);
        var variables = new Wrapped(new MultiHeadAttention(attention)).Init(Key, x);
        Assert.Equal(8, variables.Params.Subtree("MultiHeadAttention_0").LeafCount);
        var mhaVariables = Variables.FromParams(ParamTree.Empty.SetItem("MultiHeadDotProductAttention_0", variables.Params.Subtree("MultiHeadAttention_0")));
        Assert.Equal(Values(new Wrapped(attention).Apply(mhaVariables, x)), Values(new Wrapped(new MultiHeadAttention(attention)).Apply(variables, x)));
    }
}
