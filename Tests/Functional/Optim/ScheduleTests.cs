using Linen.Functional;
using Xunit;

namespace Linen.Tests.Functional;

/// <summary>
/// Optax's schedules (optax/schedules/_schedule.py, _join.py) at chosen steps whose values follow in closed form
/// from the formulas there.
/// </summary>
public class ScheduleTests
{
    private static void AssertValues(Schedule schedule, params (long Step, double Value)[] expected)
    {
        foreach (var (step, value) in expected)
            Assert.True(Math.Abs(schedule(step) - value) <= 1e-6, $"step {step}: expected {value}, got {schedule(step)}");
    }

    [Fact]
    public void ConstantIgnoresTheStep() => AssertValues(Schedules.Constant(0.3), (0, 0.3), (1_000_000, 0.3));

    [Fact]
    public void LinearInterpolatesBetweenBeginAndEnd() =>
        // 1 → 0 over 10 steps starting at step 5: value 1 until 5, 0.5 at 10, 0 from 15 on.
        AssertValues(Schedules.Linear(1, 0, 10, transitionBegin: 5), (0, 1), (5, 1), (10, 0.5), (15, 0), (100, 0));

    [Fact]
    public void PolynomialRaisesTheFraction() =>
        // (1 − 0)·(1 − 5/10)² + 0 = 0.25
        AssertValues(Schedules.Polynomial(1, 0, 2, 10), (5, 0.25), (10, 0));

    [Fact]
    public void NonPositiveTransitionStepsGiveTheInitialValue()
    {
        AssertValues(Schedules.Polynomial(0.7, 0, 2, 0), (0, 0.7), (50, 0.7));
        AssertValues(Schedules.ExponentialDecay(0.7, 0, 0.5), (50, 0.7));
    }

    [Fact]
    public void ExponentialDecaySmoothAndStaircase()
    {
        // 0.5^(5/10) = 0.70710678; staircase floors 5/10 to 0.
        AssertValues(Schedules.ExponentialDecay(1, 10, 0.5), (0, 1), (5, 0.70710678), (20, 0.25));
        AssertValues(Schedules.ExponentialDecay(1, 10, 0.5, staircase: true), (5, 1), (19, 0.5), (20, 0.25));
    }

    [Fact]
    public void ExponentialDecayWaitsForItsBeginAndStopsAtTheEndValue()
    {
        AssertValues(Schedules.ExponentialDecay(1, 10, 0.5, transitionBegin: 5), (3, 1), (15, 0.5));
        AssertValues(Schedules.ExponentialDecay(1, 10, 0.5, endValue: 0.3), (10, 0.5), (20, 0.3));
        AssertValues(Schedules.ExponentialDecay(1, 10, 2, endValue: 3), (10, 2), (20, 3));
    }

    [Fact]
    public void CosineDecayWithAlpha() =>
        // Halfway: 0.5·(1 + cos(π/2)) = 0.5, so 1·(0.9·0.5 + 0.1) = 0.55; after decaySteps it stays at alpha.
        AssertValues(Schedules.CosineDecay(1, 10, alpha: 0.1), (0, 1), (5, 0.55), (10, 0.1), (50, 0.1));

    [Fact]
    public void CosineDecayExponent() =>
        // 0.5² = 0.25 at the midpoint.
        AssertValues(Schedules.CosineDecay(2, 10, exponent: 2), (5, 0.5));

    [Fact]
    public void CosineDecayNeedsPositiveSteps() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Schedules.CosineDecay(1, 0));

    [Fact]
    public void WarmupCosineDecayCountsTheWarmupInsideDecaySteps() =>
        // Warmup 0 → 1 over 10 steps; then cosine from 1 to 0.1 over 110 − 10 = 100 steps, fed step − 10:
        // step 60 is its midpoint: 0.9·0.5 + 0.1 = 0.55.
        AssertValues(Schedules.WarmupCosineDecay(0, 1, 10, 110, endValue: 0.1),
            (0, 0), (5, 0.5), (10, 1), (60, 0.55), (110, 0.1), (500, 0.1));

    [Fact]
    public void PiecewiseConstantScalesFromEachBoundaryOn() =>
        AssertValues(Schedules.PiecewiseConstant(1, new Dictionary<long, double> { [20] = 0.1, [10] = 0.5 }),
            (0, 1), (9, 1), (10, 0.5), (19, 0.5), (20, 0.05), (1000, 0.05));

    [Fact]
    public void PiecewiseConstantRejectsNegativeScales()
    {
        var error = Assert.Throws<ArgumentException>(() => Schedules.PiecewiseConstant(1, new Dictionary<long, double> { [10] = -1 }));
        Assert.StartsWith("PiecewiseConstant expects non-negative scales; the scale at step 10 is -1.", error.Message);
    }

    [Fact]
    public void JoinFeedsEachScheduleTheStepsSinceItsBoundary() =>
        AssertValues(Schedules.Join([k => 100 + k, k => k, k => -k], [5, 8]), (4, 104), (5, 0), (7, 2), (8, 0), (10, -2));

    [Fact]
    public void JoinNeedsOneBoundaryFewerThanSchedules() =>
        Assert.Throws<ArgumentException>(() => Schedules.Join([Schedules.Constant(1)], [5]));
}
