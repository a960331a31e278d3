using TorchSharp;
using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>
/// The state of <see cref="Optax.ScaleByRms"/> (optax's <c>ScaleByRmsState</c>; with bias correction
/// <c>ScaleByRmsWithCountState</c>). <paramref name="Count"/> stays 0 without bias correction.
/// </summary>
/// <param name="Count">The number of updates made so far (counted only with bias correction).</param>
/// <param name="Nu">The second moment, shaped like the parameters.</param>
public sealed record ScaleByRmsState(int Count, ParamTree Nu) : OptState
{
    /// <inheritdoc />
    protected override IEnumerable<Tensor> EnumerateTensors() => Nu.Leaves;
}

public static partial class Optax
{
    /// <summary>
    /// <c>optax.scale_by_rms</c>: <c>v ← (1−decay)·g² + decay·v</c> from <c>v = initialScale</c>, then
    /// <c>g / √(v̂ + eps)</c>, or <c>g / (√v̂ + eps)</c> when <paramref name="epsInSqrt"/> is false (PyTorch's form);
    /// <c>v̂ = v/(1−decayᵗ)</c> with <paramref name="biasCorrection"/>, else <c>v</c>.
    /// </summary>
    public static GradientTransformation ScaleByRms(
        double decay = 0.9, double eps = 1e-8, double initialScale = 0.0, bool epsInSqrt = true, bool biasCorrection = false) => new(
        parameters => new ScaleByRmsState(0, TreeMath.FullLike(parameters, initialScale)),
        (updates, state, _) =>
        {
            var s = state.Expect<ScaleByRmsState>(nameof(ScaleByRms));
            TreeMath.RequireMatch(nameof(ScaleByRms), updates, s.Nu, "second moment");
            var count = biasCorrection ? OptState.SafeIncrement(s.Count) : 0;
            using var kept = decay.ToScalar();
            using var rest = (1 - decay).ToScalar();
            using var correction = (biasCorrection ? BiasCorrection(decay, count) : 1f).ToScalar();
            using var epsilon = eps.ToScalar();
            var nu = TreeMath.Zip(updates, s.Nu, (g, v) => v.mul(kept).addcmul_(g, g, rest));
            var scaled = TreeMath.Zip(updates, nu, (g, v) =>
            {
                var vHat = biasCorrection ? v.div(correction) : v;
                var scaling = epsInSqrt ? vHat.add(epsilon, Scalars.One).rsqrt_() : vHat.sqrt().add_(epsilon, Scalars.One).reciprocal_();
                return scaling.mul_(g);
            });
            return (scaled, new ScaleByRmsState(count, nu));
        });
}
