using FsCheck;
using FsCheck.Fluent;
using Linen.Testing;
using Xunit;

namespace Linen.Tests.Testing;

public class FailureReportTests
{
    [Fact]
    public void AFailingPropertyPrintsTheCaseAndTheAssertion()
    {
        var property = Prop.ForAll(
            LinenArb.LayerCases(Gen.Constant(new Broken.HalfKernelGradient()), _ => LinenGen.Shapes(new ShapeConstraints { MinRank = 2, MaxRank = 2 })),
            c =>
            {
                using var x = c.Input.Create();
                LayerAssert.AssertLaws(c.Module, c.Key, x);
            });
        var e = Assert.ThrowsAny<Exception>(() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(5), property));
        Assert.Matches(@"Original:\s+HalfKernelGradient on normal \(\d+, \d+\) from PrngKey\[\d+, \d+(, Legacy)?\], init key PrngKey\[\d+, \d+(, Legacy)?\]", e.Message);
        Assert.Contains("LayerAssertionException: AssertGradMatchesFiniteDifferences failed for HalfKernelGradient: " +
                        "the gradient of the loss with respect to 'params/kernel' at index [", e.Message);
    }
}
