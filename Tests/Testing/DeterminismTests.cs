using Linen.Prng;
using Linen.Testing;
using Xunit;
using static TorchSharp.torch;

namespace Linen.Tests.Testing;

public class DeterminismTests
{
    private static readonly PrngKey Key = PrngKey.FromSeed(7);

    [Fact]
    public void PassesOnCorrectModules()
    {
        using var scope = NewDisposeScope();
        LayerAssert.AssertDeterministic(new TanhMlp(5, 2), Key, ones(3, 4));
        LayerAssert.AssertDeterministic(new MyDense(3), new PrngKey(12, 34, ThreefryMode.Legacy), ones(3, 4));
    }

    [Fact]
    public void ConstantParametersNeedNotDependOnTheKey()
    {
        using var scope = NewDisposeScope();
        LayerAssert.AssertDeterministic(new Broken.ParamMutator(), Key, ones(2, 3));
    }

    [Fact]
    public void NamesTheLeafThatIgnoresTheKey()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<LayerAssertionException>(() => LayerAssert.AssertDeterministic(new Broken.FixedKeyInit(), Key, ones(2, 3)));
        Assert.Equal($"AssertDeterministic failed for FixedKeyInit: Inits with keys PrngKey[0, 7] and {Key.FoldIn(1)} " +
                     "gave the same values for 'params/kernel', which are not all equal: its initializer ignores the key " +
                     "(a fixed key or seed?). Pass requireKeyDependence: false if that is intended.", e.Message);
        LayerAssert.AssertDeterministic(new Broken.FixedKeyInit(), Key, ones(2, 3), requireKeyDependence: false);
    }

    [Fact]
    public void NamesTheLeafThatDrawsFromTheGlobalGenerator()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<LayerAssertionException>(() => LayerAssert.AssertDeterministic(new Broken.GlobalRandomInit(), Key, ones(2, 3)));
        Assert.Matches(@"^AssertDeterministic failed for GlobalRandomInit: two Inits with the same key gave different variables: " +
                       @"'params/kernel' at index \[0, 0\]: \S+ in the first Init, \S+ in the second\. Initializers must draw only from the key " +
                       @"they are given, not from torch's global generator\. Reproduce with key PrngKey\[0, 7\]\.$", e.Message);
    }
}
