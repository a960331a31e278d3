using Linen.Functional;
using Linen.Prng;
using Linen.Testing;
using Xunit;
using static TorchSharp.torch;

namespace Linen.Tests.Testing;

public class LeakTests
{
    [Fact]
    public void PassesWhenApplyFreesItsTemporaries()
    {
        using var scope = NewDisposeScope();
        var x = ones(3, 4);
        var model = new TanhMlp(5, 2);
        var variables = model.Init(PrngKey.FromSeed(1), x);
        LayerAssert.AssertNoLeaks(() => model.Apply(variables, x).Dispose());
        LayerAssert.AssertNoLeaks(() =>
        {
            var (value, grad) = Autodiff.ValueAndGrad(p => model.Apply(Variables.FromParams(p), x).sum(), variables.Params);
            value.Dispose();
            foreach (var g in grad.Leaves) g.Dispose();
        });
    }

    [Fact]
    public void ListsTheTensorsLeftInTheCallersScope()
    {
        using var scope = NewDisposeScope();
        var x = ones(2, 3);
        var e = Assert.Throws<LayerAssertionException>(() =>
            LayerAssert.AssertNoLeaks(() => new Broken.ScopeLeaker().Apply(Variables.Empty, x).Dispose()));
        Assert.Matches(@"^AssertNoLeaks failed: the action left 1 tensor\(s\) alive \(live tensors on this thread: (\d+) before, \d+ after\): " +
                       @"float32 \(2, 3\)\. Create temporaries inside torch\.NewDisposeScope\(\) or Lifetime\.Scoped, and dispose results you do not keep\.$",
                       e.Message);
    }

    [Fact]
    public void CountsTheTensorsDetachedFromEveryScope()
    {
        using var scope = NewDisposeScope();
        var kept = new List<Tensor>();
        var x = ones(2, 3);
        var e = Assert.Throws<LayerAssertionException>(() =>
            LayerAssert.AssertNoLeaks(() => new Broken.DetachLeaker(kept).Apply(Variables.Empty, x).Dispose()));
        Assert.Contains("the action left 1 tensor(s) alive", e.Message);
        Assert.Contains(" after): 1 detached from every dispose scope (not listable). ", e.Message);
        kept.ForEach(t => t.Dispose());
    }

    [Fact]
    public void ReportsTheExactLiveCountDifference()
    {
        var e = Assert.Throws<LayerAssertionException>(() => LayerAssert.AssertNoLeaks(() => { ones(2); zeros(3, 1); }));
        var counts = System.Text.RegularExpressions.Regex.Match(e.Message, @"(\d+) before, (\d+) after");
        Assert.Equal(2, long.Parse(counts.Groups[2].Value) - long.Parse(counts.Groups[1].Value));
        Assert.Contains("alive (live tensors on this thread: ", e.Message);
        Assert.Contains("): float32 (2,), float32 (3, 1). ", e.Message);
    }
}
