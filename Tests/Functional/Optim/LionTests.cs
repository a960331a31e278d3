using Linen.Functional;
using Xunit;
using static Linen.Tests.Functional.OptimTesting;

namespace Linen.Tests.Functional;

/// <summary>
/// <c>optax.lion</c> = chain(scale_by_lion, add_decayed_weights(1e-3), scale_by_learning_rate). Golden values
/// evaluated by hand in float64 from optax/_src/transform.py for p = [1, −0.5], lr 0.01 and the gradients
/// [1, −1], [−0.05, 0.5], [0, −2]. In step 2 the momentum outweighs the first entry's gradient:
/// sign(0.1·(−0.05) + 0.9·0.01) = +1.
/// </summary>
public class LionTests : OptimizerContract
{
    protected override GradientTransformation Create() => Optax.Lion(0.01);
    protected override int StateTensorsPerParameter => 1;

    [Fact]
    public void ThreeStepsMatchOptaxFormulas() =>
        AssertSteps(
            [[0.98999, -0.489995], [0.9799801001, -0.49999010005], [0.969970300298999, -0.4899851001489995]],
            Steps(Optax.Lion(0.01), StartParams, Leaf(1f, -1f), Leaf(-0.05f, 0.5f), Leaf(0f, -2f)));

    [Fact]
    public void StateCountsSteps()
    {
        var tx = Optax.Lion(0.01);
        var state = tx.Update(Leaf(1f, 1f), tx.Init(StartParams), StartParams).State;
        Assert.Equal(1, Assert.IsType<ScaleByLionState>(((ChainState)state).Inner[0]).Count);
    }
}
