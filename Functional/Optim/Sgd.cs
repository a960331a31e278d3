namespace Linen.Functional;

public static partial class Optax
{
    /// <summary>
    /// <c>optax.sgd</c>: <c>chain(trace(momentum, nesterov) or identity, scale_by_learning_rate(lr))</c>, so
    /// <c>Δp = −lr·t</c> with <c>t ← g + momentum·t</c> (no dampening; Nesterov emits <c>g + momentum·t</c>).
    /// </summary>
    /// <param name="learningRate">A constant or a <see cref="Schedule"/>.</param>
    /// <param name="momentum">The trace decay; null for plain gradient descent.</param>
    /// <param name="nesterov">Use Nesterov momentum.</param>
    public static GradientTransformation Sgd(ScalarOrSchedule learningRate, double? momentum = null, bool nesterov = false) =>
        Chain(momentum is { } decay ? Trace(decay, nesterov) : Identity(), ScaleByLearningRate(learningRate));
}
