namespace Linen.Functional;

public static partial class Optax
{
    /// <summary>
    /// <c>optax.adagrad</c>: <c>chain(scale_by_rss(initial_accumulator_value, eps), scale_by_learning_rate(lr))</c>.
    /// </summary>
    /// <param name="learningRate">A constant or a <see cref="Schedule"/>.</param>
    /// <param name="initialAccumulatorValue">The accumulator's starting value (≥ 0).</param>
    /// <param name="eps">Added inside the square root.</param>
    public static GradientTransformation Adagrad(ScalarOrSchedule learningRate, double initialAccumulatorValue = 0.1, double eps = 1e-7) =>
        Chain(ScaleByRss(initialAccumulatorValue, eps), ScaleByLearningRate(learningRate));
}
