using Linen.Prng;
using Linen.Testing;
using Xunit;
using static TorchSharp.torch;

namespace Linen.Tests.Testing;

public class GradientTests
{
    [Fact]
    public void PassesOnCorrectModulesWithTightTolerances()
    {
        using var scope = NewDisposeScope();
        var x = tensor(Sample.Normal(PrngKey.FromSeed(3), [3, 4]), [3, 4]);
        foreach (var model in new Linen.Functional.Module[] { new MyDense(3), new TanhMlp(5, 2) })
            LayerAssert.AssertGradMatchesFiniteDifferences(model, model.Init(PrngKey.FromSeed(1), x), x, rtol: 1e-7, atol: 1e-9);
    }

    [Fact]
    public void ChecksOnlyTheRequestedNumberOfEntriesPerLeaf()
    {
        using var scope = NewDisposeScope();
        var model = new Broken.HalfKernelGradient();
        var x = ones(2, 3);
        // Input entries are right; kernel entries are wrong; two entries per leaf are checked.
        var e = Assert.Throws<LayerAssertionException>(() =>
            LayerAssert.AssertGradMatchesFiniteDifferences(model, model.Init(PrngKey.FromSeed(1), x), x, o => o.sum(), maxEntriesPerLeaf: 2));
        Assert.Contains("2 of 4 checked entries disagree", e.Message);
    }

    [Fact]
    public void NamesTheWorstEntryWithBothValues()
    {
        using var scope = NewDisposeScope();
        var model = new Broken.HalfKernelGradient();
        var x = ones(2, 3);
        // Loss = sum(x k) with x, k all ones: d/dk = 2 for every entry, exactly (epsilon a power of two), autodiff sees half.
        var e = Assert.Throws<LayerAssertionException>(() =>
            LayerAssert.AssertGradMatchesFiniteDifferences(model, model.Init(PrngKey.FromSeed(1), x), x, o => o.sum(), epsilon: 1.0 / 1024));
        Assert.Equal("AssertGradMatchesFiniteDifferences failed for HalfKernelGradient: the gradient of the loss with respect to " +
                     "'params/kernel' at index [0, 0] is 1 by autodiff but 2 by central differences (float64, epsilon 0.0009765625); " +
                     "the difference 1 exceeds 1E-07 + 1E-05 * |numeric|. 6 of 12 checked entries disagree; this is the worst. " +
                     "A detach(), an in-place update or a hand-written backward can cause this.", e.Message);
    }

    [Fact]
    public void DefaultLossWeighsOutputsSoCancellingErrorsShow()
    {
        using var scope = NewDisposeScope();
        var model = new Broken.HalfKernelGradient();
        var x = ones(2, 3);
        var e = Assert.Throws<LayerAssertionException>(() =>
            LayerAssert.AssertGradMatchesFiniteDifferences(model, model.Init(PrngKey.FromSeed(1), x), x));
        Assert.Contains("with respect to 'params/kernel'", e.Message);
        Assert.Contains("6 of 12 checked entries disagree", e.Message);
    }
}
