using TorchSharp;
using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>
/// The state of <see cref="Optax.ScaleByStddev"/> (optax's <c>ScaleByRStdDevState</c>; with bias correction
/// <c>ScaleByRStdDevWithCountState</c>). <paramref name="Count"/> stays 0 without bias correction.
/// </summary>
/// <param name="Count">The number of updates made so far (counted only with bias correction).</param>
/// <param name="Mu">The first moment, shaped like the parameters.</param>
/// <param name="Nu">The second moment, shaped like the parameters.</param>
public sealed record ScaleByStddevState(int Count, ParamTree Mu, ParamTree Nu) : OptState
{
    /// <inheritdoc />
    protected override IEnumerable<Tensor> EnumerateTensors() => Mu.Leaves.Concat(Nu.Leaves);
}

public static partial class Optax
{
    /// <summary>
    /// <c>optax.scale_by_stddev</c> (centred RMSProp): <c>m ← (1−decay)·g + decay·m</c> from 0,
    /// <c>v ← (1−decay)·g² + decay·v</c> from <c>initialScale</c>, then <c>g / √(v̂ − m̂² + eps)</c>, or
    /// <c>g / (√(v̂ − m̂²) + eps)</c> when <paramref name="epsInSqrt"/> is false.
    /// </summary>
    public static GradientTransformation ScaleByStddev(
        double decay = 0.9, double eps = 1e-8, double initialScale = 0.0, bool epsInSqrt = true, bool biasCorrection = false) => new(
        parameters => new ScaleByStddevState(0, TreeMath.ZerosLike(parameters), TreeMath.FullLike(parameters, initialScale)),
        (updates, state, _) =>
        {
            var s = state.Expect<ScaleByStddevState>(nameof(ScaleByStddev));
            TreeMath.RequireMatch(nameof(ScaleByStddev), updates, s.Mu, "first moment");
            var count = biasCorrection ? OptState.SafeIncrement(s.Count) : 0;
            using var kept = decay.ToScalar();
            using var rest = (1 - decay).ToScalar();
            using var correction = (biasCorrection ? BiasCorrection(decay, count) : 1f).ToScalar();
            using var epsilon = eps.ToScalar();
            var mu = TreeMath.Zip(updates, s.Mu, (g, m) => g.mul(rest).add_(m, kept));
            var nu = TreeMath.Zip(updates, s.Nu, (g, v) => v.mul(kept).addcmul_(g, g, rest));
            var variance = TreeMath.Zip(mu, nu, (m, v) =>
                biasCorrection ? v.div(correction).sub_(m.div(correction).Square()) : v.sub(m.Square()));
            var scaled = TreeMath.Zip(updates, variance, (g, d) =>
                (epsInSqrt ? d.add_(epsilon, Scalars.One).rsqrt_() : d.sqrt_().add_(epsilon, Scalars.One).reciprocal_()).mul_(g));
            return (scaled, new ScaleByStddevState(count, mu, nu));
        });
}
