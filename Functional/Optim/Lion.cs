namespace Linen.Functional;

public static partial class Optax
{
    /// <summary>
    /// <c>optax.lion</c>: <c>chain(scale_by_lion(b1, b2), add_decayed_weights(weight_decay, mask), scale_by_learning_rate(lr))</c>.
    /// Optax's default decay is 1e-3. Its <see cref="GradientTransformation.Update"/> needs the parameters.
    /// </summary>
    /// <param name="learningRate">A constant or a <see cref="Schedule"/> (typically 3–10× smaller than AdamW's).</param>
    /// <param name="b1">The rate that mixes the momentum and the gradient for the sign.</param>
    /// <param name="b2">The momentum decay.</param>
    /// <param name="weightDecay">The decoupled weight decay.</param>
    /// <param name="mask">Decay only the parameters whose path it accepts (null: all).</param>
    public static GradientTransformation Lion(
        ScalarOrSchedule learningRate, double b1 = 0.9, double b2 = 0.99, double weightDecay = 1e-3, Func<string, bool>? mask = null) =>
        Chain(ScaleByLion(b1, b2), AddDecayedWeights(weightDecay, mask), ScaleByLearningRate(learningRate));
}
