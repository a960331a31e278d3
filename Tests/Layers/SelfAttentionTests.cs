using FsCheck;
using FsCheck.Fluent;
using Linen.Functional;
using Linen.Layers;
using Linen.Prng;
using Xunit;
using static Linen.Tests.Layers.TestValues;
using static TorchSharp.torch;

namespace Linen.Tests.Layers;

/// <summary>SelfAttention: MultiHeadDotProductAttention's computation and layout under Flax's SelfAttention name.</summary>
public class SelfAttentionTests : LayerContract<SelfAttention>
{
    private static readonly PrngKey Key = PrngKey.FromSeed(0);

    protected override Gen<SelfAttention> Layers => AttentionTests.Attentions.Select(a => new SelfAttention(a));

    protected override Gen<long[]> InputShapes(SelfAttention layer) => AttentionTests.AttentionInputs(layer.Attention);

    protected override Gen<CallMode> Modes(SelfAttention layer) => AttentionTests.AttentionModes(layer.Attention);

    protected override FlaxExample Flax => new(new SelfAttention(new MultiHeadDotProductAttention(2) { QkvFeatures = 8, OutFeatures = 3 }),
        ones(2, 5, 6), [2, 5, 3], AttentionTests.FlaxVariables);

    /// <summary>Half the cases: the computation is MultiHeadDotProductAttention's, whose contract runs them all; this one checks the wrapper.</summary>
    protected override int MaxTest => 10;

    /// <inheritdoc cref="MaxTest"/>
    protected override int GradientMaxTest => 4;

    [Fact]
    public void SelfAttentionKeepsTheLayoutUnderItsOwnName()
    {
        var x = Normal(1, 2, 3, 4);
        var attention = new MultiHeadDotProductAttention(2);
        var variables = new Wrapped(new SelfAttention(attention)).Init(Key, x);
        Assert.Equal(8, variables.Params.Subtree("SelfAttention_0").LeafCount);
        var mhaVariables = Variables.FromParams(ParamTree.Empty.SetItem("MultiHeadDotProductAttention_0", variables.Params.Subtree("SelfAttention_0")));
        Assert.Equal(Values(new Wrapped(attention).Apply(mhaVariables, x)), Values(new Wrapped(new SelfAttention(attention)).Apply(variables, x)));
    }
}
