using FsCheck;
using FsCheck.Fluent;
using Linen.Functional;
using Linen.Layers;
using Linen.Prng;
using Xunit;
using static Linen.Tests.Layers.TestValues;
using static TorchSharp.torch;

namespace Linen.Tests.Layers;

/// <summary>
/// The contract of a layer that is <see cref="MultiHeadDotProductAttention"/> under another Flax name
/// (<see cref="SelfAttention"/>, <see cref="MultiHeadAttention"/>): same computation and parameter layout, its own
/// auto-name. Half the cases: the computation is MultiHeadDotProductAttention's, whose contract runs them all.
/// </summary>
public abstract class AttentionAliasContract<TLayer> : LayerContract<TLayer> where TLayer : Module
{
    private static readonly PrngKey Key = PrngKey.FromSeed(0);

    /// <summary>The alias around <paramref name="attention"/>.</summary>
    protected abstract TLayer Wrap(MultiHeadDotProductAttention attention);

    /// <summary>The attention an alias wraps.</summary>
    protected abstract MultiHeadDotProductAttention Unwrap(TLayer layer);

    protected override Gen<TLayer> Layers => AttentionTests.Attentions.Select(Wrap);

    protected override Gen<long[]> InputShapes(TLayer layer) => AttentionTests.AttentionInputs(Unwrap(layer));

    protected override Gen<CallMode> Modes(TLayer layer) => AttentionTests.AttentionModes(Unwrap(layer));

    protected override FlaxExample Flax => new(Wrap(new MultiHeadDotProductAttention(2) { QkvFeatures = 8, OutFeatures = 3 }),
        ones(2, 5, 6), [2, 5, 3], AttentionTests.FlaxVariables);

    /// <inheritdoc cref="AttentionAliasContract{TLayer}"/>
    protected override int MaxTest => 10;

    /// <inheritdoc cref="AttentionAliasContract{TLayer}"/>
    protected override int GradientMaxTest => 4;

    [Fact]
    public void SameLayerAndLayoutUnderItsOwnName()
    {
        var x = Normal(1, 2, 3, 4);
        var attention = new MultiHeadDotProductAttention(2);
        var alias = Wrap(attention);
        var name = $"{alias.TypeName}_0";
        var variables = new Wrapped(alias).Init(Key, x);
        Assert.Equal(8, variables.Params.Subtree(name).LeafCount);
        var mhaVariables = Variables.FromParams(ParamTree.Empty.SetItem("MultiHeadDotProductAttention_0", variables.Params.Subtree(name)));
        Assert.Equal(Values(new Wrapped(attention).Apply(mhaVariables, x)), Values(new Wrapped(alias).Apply(variables, x)));
    }
}
