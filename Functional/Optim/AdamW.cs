namespace Linen.Functional;

public static partial class Optax
{
    /// <summary>
    /// <c>optax.adamw</c>: <c>chain(scale_by_adam, add_decayed_weights(weight_decay, mask), scale_by_learning_rate(lr))</c>,
    /// so <c>Δp = −lr·(u + weightDecay·p)</c>. Optax's default decay is 1e-4 (PyTorch's AdamW uses 1e-2).
    /// Its <see cref="GradientTransformation.Update"/> needs the parameters.
    /// </summary>
    /// <param name="learningRate">A constant or a <see cref="Schedule"/>.</param>
    /// <param name="b1">The first-moment decay.</param>
    /// <param name="b2">The second-moment decay.</param>
    /// <param name="eps">Added to the denominator outside the square root.</param>
    /// <param name="epsRoot">Added inside the square root.</param>
    /// <param name="weightDecay">The decoupled weight decay, constant or scheduled.</param>
    /// <param name="mask">Decay only the parameters whose path it accepts (null: all).</param>
    /// <param name="nesterov">NAdamW.</param>
    public static GradientTransformation AdamW(
        ScalarOrSchedule learningRate, double b1 = 0.9, double b2 = 0.999, double eps = 1e-8, double epsRoot = 0.0,
        double weightDecay = 1e-4, Func<string, bool>? mask = null, bool nesterov = false) =>
        Chain(ScaleByAdam(b1, b2, eps, epsRoot, nesterov), AddDecayedWeights(weightDecay, mask), ScaleByLearningRate(learningRate))
            .WithUpdateAndApply(FusedAdam(learningRate, b1, b2, eps, epsRoot, nesterov, weightDecay, mask));
}
