using Linen.Functional;
using Xunit;
using static Linen.Tests.Functional.OptimTesting;

namespace Linen.Tests.Functional;

/// <summary>
/// <c>optax.adagrad</c>. Golden values: optax's <c>scale_by_rss</c> (optax/_src/transform.py) evaluated by hand
/// in float64 for the inputs of <see cref="AdamTests"/>, lr 0.1, initial accumulator 0.1, eps 1e-7.
/// </summary>
public class AdagradTests : OptimizerContract
{
    protected override GradientTransformation Create() => Optax.Adagrad(0.1);
    protected override int StateTensorsPerParameter => 1;

    [Fact]
    public void ThreeStepsMatchOptaxFormulas() =>
        // Step 1: −0.1·0.5/√(0.1 + 0.25 + 1e-7) = −0.0845154
        AssertSteps(
            [[0.9154845866007779, -0.40465374540936133], [0.9544095290906796, -0.493215233095121], [0.8702688996867746, -0.493215233095121]],
            Steps(Optax.Adagrad(0.1), StartParams, ThreeGrads));

    [Fact]
    public void AZeroAccumulatorGivesAZeroUpdate() =>
        // With no initial value, an entry that has only seen zero gradients stays put instead of dividing 0 by √eps.
        AssertSteps([[1, -0.5999999950000003], [1, -0.5292893186491124]],
            Steps(Optax.Adagrad(0.1, initialAccumulatorValue: 0), StartParams, Leaf(0f, 1f), Leaf(0f, -1f)));
}
