using TorchSharp;
using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>The state of <see cref="Optax.ScaleBySchedule"/> (optax's <c>ScaleByScheduleState</c>).</summary>
/// <param name="Count">The number of updates made so far.</param>
public sealed record ScaleByScheduleState(int Count) : OptState
{
    /// <inheritdoc />
    protected override IEnumerable<Tensor> EnumerateTensors() => [];
}

public static partial class Optax
{
    /// <summary><c>optax.scale</c>: multiplies the updates by a constant; no state.</summary>
    public static GradientTransformation Scale(double stepSize) =>
        new(_ => EmptyState.Instance, (updates, state, _) => (ScaleLeaves(updates, stepSize), state));

    /// <summary>
    /// <c>optax.scale_by_schedule</c>: multiplies the updates by <c>schedule(count)</c> with the count
    /// <em>before</em> this update, so the first update uses <c>schedule(0)</c>.
    /// </summary>
    public static GradientTransformation ScaleBySchedule(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return new(
            _ => new ScaleByScheduleState(0),
            (updates, state, _) =>
            {
                var (factor, next) = ScheduleStep(schedule, state);
                return (ScaleLeaves(updates, factor), next);
            });
    }

    /// <summary>
    /// <c>optax.scale_by_learning_rate</c>: multiplies by <c>-learningRate</c> (by <c>+learningRate</c> when
    /// <paramref name="flipSign"/> is false). A constant keeps no state; a schedule goes through
    /// <see cref="ScaleBySchedule"/>.
    /// </summary>
    public static GradientTransformation ScaleByLearningRate(ScalarOrSchedule learningRate, bool flipSign = true)
    {
        int sign = flipSign ? -1 : 1;
        return learningRate.Schedule is { } schedule
            ? ScaleBySchedule(step => sign * schedule(step))
            : Scale(sign * learningRate.Value);
    }

    /// <summary>The factor <c>ScaleByLearningRate(learningRate)</c> multiplies by in <paramref name="state"/>, and its next state.</summary>
    internal static (double Factor, OptState Next) LearningRateStep(ScalarOrSchedule learningRate, OptState state) =>
        learningRate.Schedule is { } schedule ? ScheduleStep(step => -schedule(step), state) : (-learningRate.Value, state);

    private static (double Factor, OptState Next) ScheduleStep(Schedule schedule, OptState state)
    {
        var count = state.Expect<ScaleByScheduleState>(nameof(ScaleBySchedule)).Count;
        return (schedule(count), new ScaleByScheduleState(OptState.SafeIncrement(count)));
    }

    private static ParamTree ScaleLeaves(ParamTree updates, double factor)
    {
        using var scalar = factor.ToScalar();
        return updates.Map(g => g.mul(scalar));
    }
}
