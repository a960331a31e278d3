using TorchSharp;
using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>The state of <see cref="Optax.AddDecayedWeights"/> with a scheduled decay (optax's <c>WeightDecaySchedule</c>).</summary>
/// <param name="Count">The number of updates made so far.</param>
public sealed record WeightDecayScheduleState(int Count) : OptState
{
    /// <inheritdoc />
    protected override IEnumerable<Tensor> EnumerateTensors() => [];
}

public static partial class Optax
{
    /// <summary>
    /// <c>optax.add_decayed_weights</c>: <c>u + weightDecay·p</c> (decoupled weight decay, which the following
    /// <see cref="ScaleByLearningRate"/> scales by <c>−lr</c>). A scheduled decay is evaluated at the count before
    /// the update. With <paramref name="mask"/>, only leaves whose path it accepts are decayed
    /// (<c>optax.masked</c>), e.g. <c>path =&gt; !path.EndsWith("bias")</c>.
    /// </summary>
    /// <remarks><see cref="GradientTransformation.Update"/> needs the parameters.</remarks>
    public static GradientTransformation AddDecayedWeights(ScalarOrSchedule weightDecay, Func<string, bool>? mask = null)
    {
        var decay = new GradientTransformation(
            _ => weightDecay.Schedule is null ? EmptyState.Instance : new WeightDecayScheduleState(0),
            (updates, state, parameters) =>
            {
                if (parameters is null)
                    throw new ArgumentNullException(nameof(parameters),
                        "AddDecayedWeights needs the current parameters: pass them as the third argument of Update.");
                double rate = weightDecay.Value;
                var next = state;
                if (weightDecay.Schedule is { } schedule)
                {
                    var count = state.Expect<WeightDecayScheduleState>(nameof(AddDecayedWeights)).Count;
                    rate = schedule(count);
                    next = new WeightDecayScheduleState(OptState.SafeIncrement(count));
                }
                else if (rate == 0) return (updates, state);  // optax skips a zero constant decay entirely
                TreeMath.RequireMatch(nameof(AddDecayedWeights), updates, parameters, "parameters", "Updates must have the parameters' structure and shapes.");
                using var rateScalar = rate.ToScalar();
                return (TreeMath.Zip(updates, parameters, (g, p) => g.add(p, rateScalar)), next);
            });
        return mask is null ? decay : Masked(decay, mask);
    }
}
