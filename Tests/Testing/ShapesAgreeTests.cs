using Linen.Functional;
using Linen.Prng;
using Linen.Testing;
using Xunit;
using static TorchSharp.torch;

namespace Linen.Tests.Testing;

public class ShapesAgreeTests
{
    private static readonly PrngKey Key = PrngKey.FromSeed(7);

    [Fact]
    public void PassesOnCorrectModules()
    {
        using var scope = NewDisposeScope();
        LayerAssert.AssertShapesAgree(new MyDense(3), Key, ones(2, 4));
        LayerAssert.AssertShapesAgree(new TanhMlp(5, 2), Key, ones(3, 4));
    }

    [Fact]
    public void NamesBothOutputShapes()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<LayerAssertionException>(() => LayerAssert.AssertShapesAgree(new Broken.ShapeShifter(), Key, ones(2, 3)));
        Assert.Equal("AssertShapesAgree failed for ShapeShifter: Apply returned float32 (2, 1), " +
                     "but Init's call returned float32 (2, 4). Reproduce with key PrngKey[0, 7].", e.Message);
    }

    [Fact]
    public void NamesTheStateLeafThatChangesShape()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<LayerAssertionException>(() => LayerAssert.AssertShapesAgree(new Broken.GrowingState(), Key, ones(2, 3)));
        Assert.Equal("AssertShapesAgree failed for GrowingState: the variables Apply returns differ in structure from Init's: " +
                     "'state/history' has shape (1,) after Init but (2,) after Apply. Reproduce with key PrngKey[0, 7].", e.Message);
    }

    [Fact]
    public void NamesTheLeafThatInitDoesNotReproduce()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<LayerAssertionException>(() => LayerAssert.AssertShapesAgree(new Broken.GlobalRandomInit(), Key, ones(2, 3)));
        Assert.Matches(@"^AssertShapesAgree failed for GlobalRandomInit: two Inits with the same key gave different variables: " +
                       @"'params/kernel' at index \[0, 0\]: \S+ in the first Init, \S+ in the second\. " +
                       @"Initializers must draw only from the key they are given\. Reproduce with key PrngKey\[0, 7\]\.$", e.Message);
    }

    [Fact]
    public void WrapsWhatTheModuleThrows()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<LayerAssertionException>(() => LayerAssert.AssertShapesAgree(new Broken.ThrowsInApply(), Key, ones(2, 3)));
        Assert.Equal("AssertShapesAgree failed for ThrowsInApply: Apply with the variables from Init threw InputShapeException: " +
                     "ThrowsInApply at '/': refuses to run. Reproduce with key PrngKey[0, 7].", e.Message);
        Assert.IsType<InputShapeException>(e.InnerException);
    }

    [Fact]
    public void NamesTheModuleByTypeNameAndHyperparameters()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<LayerAssertionException>(() => LayerAssert.AssertShapesAgree(new MyDense(3) { Name = "head" }, Key, ones(2, 3, 4)));
        Assert.Equal("AssertShapesAgree failed for MyDense 'head' { Features = 3 }: Init threw InputShapeException: " +
                     "MyDense at '/': expected a (batch, features) input, got shape (2, 3, 4). Reproduce with key PrngKey[0, 7].", e.Message);
    }
}
