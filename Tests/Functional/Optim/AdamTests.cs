using Linen.Functional;
using Xunit;
using static Linen.Tests.Functional.OptimTesting;

namespace Linen.Tests.Functional;

/// <summary>
/// <c>optax.adam</c>. Golden values: optax's <c>scale_by_adam</c> (optax/_src/transform.py) and
/// <c>scale_by_learning_rate</c> evaluated by hand in float64 for p = [1, −0.5] and the gradients
/// [0.5, −1], [−0.25, 2], [1, 0], with the bias corrections 1 − βᵗ rounded to float32 as optax computes them
/// (their cancellation moves the results by up to 1e-6 from an all-float64 evaluation).
/// </summary>
public class AdamTests : OptimizerContract
{
    protected override GradientTransformation Create() => Optax.Adam(0.1);
    protected override int StateTensorsPerParameter => 2;

    [Fact]
    public void ThreeStepsMatchOptaxFormulas() =>
        AssertSteps(
            [[0.90000067, -0.400000669], [0.873367234, -0.436610653], [0.807556314, -0.464910458]],
            Steps(Optax.Adam(0.1), StartParams, ThreeGrads));

    [Fact]
    public void EpsIsOutsideAndEpsRootInsideTheSquareRoot() =>
        // With eps = 1e-3 and eps_root = 1e-4 the first step is −0.1·0.5/(√(0.25 + 1e-4) + 1e-3) = −0.0997805;
        // swapping their places would give −0.0998006.
        AssertSteps(
            [[0.90022018, -0.400105556], [0.873662439, -0.436691673], [0.807958329, -0.464968725]],
            Steps(Optax.Adam(0.1, eps: 1e-3, epsRoot: 1e-4), StartParams, ThreeGrads));

    [Fact]
    public void NesterovIsNAdam() =>
        AssertSteps(
            [[0.852632569, -0.352632567], [0.869118764, -0.442296939], [0.766672519, -0.462367666]],
            Steps(Optax.Adam(0.1, nesterov: true), StartParams, ThreeGrads));

    [Fact]
    public void ConstantGradientGivesStepsOfLearningRate()
    {
        // In exact arithmetic m̂ = g and v̂ = g² for a constant g, so every step is −lr·g/(|g| + eps) = −0.01;
        // optax's float32 bias corrections shift that by ~1e-7 per step.
        var g = Leaf(4f);
        AssertSteps([[-0.00999993322], [-0.0199998326], [-0.0299997962], [-0.0399996991]], Steps(Optax.Adam(0.01), Leaf(0f), g, g, g, g), 1e-8);
    }

    [Fact]
    public void StateCountsStepsAndHoldsMoments()
    {
        var tx = Optax.Adam(0.1);
        var state = tx.Init(StartParams);
        foreach (var g in ThreeGrads) state = tx.Update(g, state, null).State;
        var adam = Assert.IsType<ScaleByAdamState>(((ChainState)state).Inner[0]);
        Assert.Equal(3, adam.Count);
        // m3 = 0.1·g3 + 0.09·g2 + 0.081·g1 = [0.118, 0.099]
        Assert.Equal([0.118f, 0.099f], adam.Mu["w"].data<float>().ToArray(), new ToleranceComparer(1e-6));
    }

    [Fact]
    public void BiasCorrectionIsComputedInFloat32() =>
        // optax evaluates 1 − decay^count in float32: 1 − 0.999f² = 0.0019990206, not float64's 0.001999.
        Assert.Equal(1f - 0.999f * 0.999f, Optax.BiasCorrection(0.999, 2));
}

/// <summary>Compares floats within an absolute tolerance.</summary>
internal sealed class ToleranceComparer(double tolerance) : IEqualityComparer<float>
{
    public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;
    public int GetHashCode(float obj) => 0;
}
