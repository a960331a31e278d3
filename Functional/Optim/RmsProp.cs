namespace Linen.Functional;

public static partial class Optax
{
    /// <summary>
    /// <c>optax.rmsprop</c>: <c>chain(scale_by_rms or scale_by_stddev when centred, scale_by_learning_rate(lr),
    /// trace(momentum, nesterov) or identity)</c>. Optax's default puts <paramref name="eps"/> inside the square
    /// root; <c>epsInSqrt: false</c> gives PyTorch's form.
    /// </summary>
    /// <param name="learningRate">A constant or a <see cref="Schedule"/>.</param>
    /// <param name="decay">The second-moment decay.</param>
    /// <param name="eps">The denominator's stabiliser.</param>
    /// <param name="initialScale">The second moment's initial value.</param>
    /// <param name="epsInSqrt">Add <paramref name="eps"/> inside the square root (optax) or outside (PyTorch).</param>
    /// <param name="centered">Divide by the standard deviation instead of the root mean square.</param>
    /// <param name="momentum">A trace decay applied after the learning rate; null for none.</param>
    /// <param name="nesterov">Nesterov momentum.</param>
    /// <param name="biasCorrection">Bias-correct the moments as Adam does.</param>
    public static GradientTransformation RmsProp(
        ScalarOrSchedule learningRate, double decay = 0.9, double eps = 1e-8, double initialScale = 0.0, bool epsInSqrt = true,
        bool centered = false, double? momentum = null, bool nesterov = false, bool biasCorrection = false) =>
        Chain(
            centered
                ? ScaleByStddev(decay, eps, initialScale, epsInSqrt, biasCorrection)
                : ScaleByRms(decay, eps, initialScale, epsInSqrt, biasCorrection),
            ScaleByLearningRate(learningRate),
            momentum is { } m ? Trace(m, nesterov) : Identity());
}
