namespace Linen.Functional;

public static partial class Optax
{
    /// <summary>
    /// <c>optax.adam</c>: <c>chain(scale_by_adam(b1, b2, eps, eps_root, nesterov), scale_by_learning_rate(lr))</c>.
    /// Optax's defaults; <paramref name="eps"/> is added outside the square root (as PyTorch does).
    /// </summary>
    /// <param name="learningRate">A constant or a <see cref="Schedule"/> (evaluated at the count before each update).</param>
    /// <param name="b1">The first-moment decay.</param>
    /// <param name="b2">The second-moment decay.</param>
    /// <param name="eps">Added to the denominator outside the square root.</param>
    /// <param name="epsRoot">Added inside the square root.</param>
    /// <param name="nesterov">NAdam.</param>
    public static GradientTransformation Adam(
        ScalarOrSchedule learningRate, double b1 = 0.9, double b2 = 0.999, double eps = 1e-8, double epsRoot = 0.0, bool nesterov = false) =>
        Chain(ScaleByAdam(b1, b2, eps, epsRoot, nesterov), ScaleByLearningRate(learningRate))
            .WithUpdateAndApply(FusedAdam(learningRate, b1, b2, eps, epsRoot, nesterov));
}
