namespace Linen.Functional;

/// <summary>
/// Optax's schedules (<c>optax.schedules</c>) with optax's parameters and edge cases. Values are evaluated in
/// double precision and rounded to float once (optax evaluates in float32; they agree to float32 rounding).
/// </summary>
public static class Schedules
{
    /// <summary><c>constant_schedule</c>: always <paramref name="value"/>.</summary>
    public static Schedule Constant(double value) => _ => (float)value;

    /// <summary>
    /// <c>polynomial_schedule</c>: with <c>c = clip(step − transitionBegin, 0, transitionSteps)</c>,
    /// <c>(init − end)·(1 − c/transitionSteps)^power + end</c>. A non-positive <paramref name="transitionSteps"/>
    /// gives the constant <paramref name="initValue"/>; a negative <paramref name="transitionBegin"/> counts as 0.
    /// </summary>
    public static Schedule Polynomial(double initValue, double endValue, double power, long transitionSteps, long transitionBegin = 0)
    {
        if (transitionSteps <= 0) return Constant(initValue);
        transitionBegin = Math.Max(transitionBegin, 0);
        return step =>
        {
            var count = Math.Clamp(step - transitionBegin, 0, transitionSteps);
            return (float)((initValue - endValue) * Math.Pow(1 - (double)count / transitionSteps, power) + endValue);
        };
    }

    /// <summary><c>linear_schedule</c>: <see cref="Polynomial"/> with power 1, from <paramref name="initValue"/> to <paramref name="endValue"/>.</summary>
    public static Schedule Linear(double initValue, double endValue, long transitionSteps, long transitionBegin = 0) =>
        Polynomial(initValue, endValue, 1, transitionSteps, transitionBegin);

    /// <summary>
    /// <c>piecewise_constant_schedule</c>: starts at <paramref name="initValue"/> and, from each boundary step on,
    /// multiplies by that boundary's scale (a step equal to a boundary already gets its scale).
    /// </summary>
    /// <exception cref="ArgumentException">A scale is negative.</exception>
    public static Schedule PiecewiseConstant(double initValue, IReadOnlyDictionary<long, double> boundariesAndScales)
    {
        ArgumentNullException.ThrowIfNull(boundariesAndScales);
        if (boundariesAndScales.FirstOrDefault(kv => kv.Value < 0) is { Value: < 0 } negative)
            throw new ArgumentException(
                $"PiecewiseConstant expects non-negative scales; the scale at step {negative.Key} is {negative.Value}.", nameof(boundariesAndScales));
        var sorted = boundariesAndScales.OrderBy(kv => kv.Key).ToArray();
        return step =>
        {
            var value = initValue;
            foreach (var (boundary, scale) in sorted)
                if (step >= boundary) value *= scale;
            return (float)value;
        };
    }

    /// <summary>
    /// <c>exponential_decay</c>: <c>init·rate^((step − transitionBegin)/transitionSteps)</c> (the exponent floored
    /// with <paramref name="staircase"/>), <paramref name="initValue"/> up to <paramref name="transitionBegin"/>,
    /// bounded by <paramref name="endValue"/> when given (from below when decaying, from above when growing).
    /// A non-positive <paramref name="transitionSteps"/> or a zero rate gives the constant <paramref name="initValue"/>.
    /// </summary>
    public static Schedule ExponentialDecay(
        double initValue, long transitionSteps, double decayRate, long transitionBegin = 0, bool staircase = false, double? endValue = null)
    {
        if (transitionSteps <= 0 || decayRate == 0) return Constant(initValue);
        transitionBegin = Math.Max(transitionBegin, 0);
        return step =>
        {
            var elapsed = step - transitionBegin;
            var exponent = (double)elapsed / transitionSteps;
            if (staircase) exponent = Math.Floor(exponent);
            var value = elapsed <= 0 ? initValue : initValue * Math.Pow(decayRate, exponent);
            if (endValue is { } end) value = decayRate < 1 ? Math.Max(value, end) : Math.Min(value, end);
            return (float)value;
        };
    }

    /// <summary>
    /// <c>cosine_decay_schedule</c>: with <c>c = min(step, decaySteps)</c>,
    /// <c>init·((1 − alpha)·(½(1 + cos(π·c/decaySteps)))^exponent + alpha)</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="decaySteps"/> is not positive.</exception>
    public static Schedule CosineDecay(double initValue, long decaySteps, double alpha = 0.0, double exponent = 1.0)
    {
        if (decaySteps <= 0)
            throw new ArgumentOutOfRangeException(nameof(decaySteps), decaySteps, "CosineDecay needs a positive decaySteps.");
        return step =>
        {
            var count = (double)Math.Min(step, decaySteps);
            var cosine = 0.5 * (1 + Math.Cos(Math.PI * count / decaySteps));
            return (float)(initValue * ((1 - alpha) * Math.Pow(cosine, exponent) + alpha));
        };
    }

    /// <summary>
    /// <c>warmup_cosine_decay_schedule</c>: linear from <paramref name="initValue"/> to <paramref name="peakValue"/>
    /// over <paramref name="warmupSteps"/>, then a cosine decay from the peak to <paramref name="endValue"/> over
    /// the remaining <c>decaySteps − warmupSteps</c> steps (<paramref name="decaySteps"/> includes the warmup).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="decaySteps"/> does not exceed <paramref name="warmupSteps"/>.</exception>
    public static Schedule WarmupCosineDecay(
        double initValue, double peakValue, long warmupSteps, long decaySteps, double endValue = 0.0, double exponent = 1.0)
    {
        var alpha = peakValue == 0 ? 0 : endValue / peakValue;
        return Join(
            [Linear(initValue, peakValue, warmupSteps), CosineDecay(peakValue, decaySteps - warmupSteps, alpha, exponent)],
            [warmupSteps]);
    }

    /// <summary>
    /// <c>join_schedules</c>: <c>schedules[0]</c> before <c>boundaries[0]</c>, then <c>schedules[i]</c> evaluated at
    /// <c>step − boundaries[i−1]</c> (the steps since its boundary).
    /// </summary>
    /// <exception cref="ArgumentException">There is not exactly one boundary fewer than schedules.</exception>
    public static Schedule Join(IReadOnlyList<Schedule> schedules, IReadOnlyList<long> boundaries)
    {
        ArgumentNullException.ThrowIfNull(schedules);
        ArgumentNullException.ThrowIfNull(boundaries);
        if (schedules.Count != boundaries.Count + 1)
            throw new ArgumentException(
                $"Join needs one boundary fewer than schedules; got {schedules.Count} schedules and {boundaries.Count} boundaries.", nameof(boundaries));
        var parts = schedules.ToArray();
        var bounds = boundaries.ToArray();
        return step =>
        {
            // As optax: each later schedule takes over from its boundary on.
            var value = parts[0](step);
            for (int i = 0; i < bounds.Length; i++)
                if (step >= bounds[i]) value = parts[i + 1](step - bounds[i]);
            return value;
        };
    }
}
