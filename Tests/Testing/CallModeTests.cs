using Linen.Functional;
using Linen.Prng;
using Linen.Testing;
using Xunit;
using static TorchSharp.torch;

namespace Linen.Tests.Testing;

/// <summary>The checks in the mode a layer is used in: other streams, training, mutable collections.</summary>
public class CallModeTests
{
    private static readonly PrngKey Key = PrngKey.FromSeed(3);

    [Fact]
    public void PassesForAStatefulRandomLayerInTraining()
    {
        using var scope = NewDisposeScope();
        LayerAssert.AssertLaws(new NoisyCounter(), Key, ones(2, 3), rngs: Rngs.Of(("noise", PrngKey.FromSeed(4))), train: true, mutable: "state");
    }

    [Fact]
    public void NamesTheStateUpdatedInPlace()
    {
        using var scope = NewDisposeScope();
        var model = new Broken.InPlaceCounter();
        var variables = model.Init(Key, ones(2, 3));
        var e = Assert.Throws<LayerAssertionException>(() => LayerAssert.AssertPure(model, variables, ones(2, 3), mutable: "state"));
        Assert.Equal("AssertPure failed for InPlaceCounter: Apply changed variable 'state/count' at index [0]: 0 before, 1 after. " +
                     "Variables are immutable: return updated state through a mutable collection instead.", e.Message);
    }

    [Fact]
    public void TrainingWithoutMutableStateIsAFailureNamingTheStage()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<LayerAssertionException>(() =>
            LayerAssert.AssertShapesAgree(new NoisyCounter(), Key, ones(2, 3), Rngs.Of(("noise", PrngKey.FromSeed(4))), train: true));
        Assert.Equal("AssertShapesAgree failed for NoisyCounter: Apply with the variables from Init threw ImmutableCollectionException: " +
                     "Cannot update variable 'count' of collection 'state' in module '/': the collection is not mutable in this call " +
                     "(mutable: none). Pass mutable: \"state\" to Apply. Reproduce with key PrngKey[0, 3].", e.Message);
    }
}
