using TorchSharp;
using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>The state of <see cref="Optax.ScaleByAdam"/> (optax's <c>ScaleByAdamState</c>).</summary>
/// <param name="Count">The number of updates made so far.</param>
/// <param name="Mu">The first moment, shaped like the parameters.</param>
/// <param name="Nu">The second moment, shaped like the parameters.</param>
public sealed record ScaleByAdamState(int Count, ParamTree Mu, ParamTree Nu) : OptState
{
    /// <inheritdoc />
    protected override IEnumerable<Tensor> EnumerateTensors() => Mu.Leaves.Concat(Nu.Leaves);
}

public static partial class Optax
{
    /// <summary>
    /// <c>optax.scale_by_adam</c>: <c>m ← (1−b1)·g + b1·m</c>, <c>v ← (1−b2)·g² + b2·v</c>, <c>t ← t+1</c>,
    /// <c>u = m̂ / (√(v̂ + epsRoot) + eps)</c> with <c>m̂ = m/(1−b1ᵗ)</c> and <c>v̂ = v/(1−b2ᵗ)</c>: <paramref name="eps"/>
    /// outside the square root, <paramref name="epsRoot"/> inside. With <paramref name="nesterov"/> (NAdam)
    /// <c>m̂ = b1·m/(1−b1ᵗ⁺¹) + (1−b1)·g/(1−b1ᵗ)</c>. The bias corrections are computed in float32, as optax does.
    /// </summary>
    public static GradientTransformation ScaleByAdam(
        double b1 = 0.9, double b2 = 0.999, double eps = 1e-8, double epsRoot = 0.0, bool nesterov = false) => new(
        parameters => new ScaleByAdamState(0, TreeMath.ZerosLike(parameters), TreeMath.ZerosLike(parameters)),
        (updates, state, _) =>
        {
            var s = state.Expect<ScaleByAdamState>(nameof(ScaleByAdam));
            TreeMath.RequireMatch(nameof(ScaleByAdam), updates, s.Mu, "first moment");
            var count = OptState.SafeIncrement(s.Count);
            using var decay1 = b1.ToScalar();
            using var decay2 = b2.ToScalar();
            using var rest1 = (1 - b1).ToScalar();
            using var rest2 = (1 - b2).ToScalar();
            using var correction1 = BiasCorrection(b1, count).ToScalar();
            using var correction2 = BiasCorrection(b2, count).ToScalar();
            using var nextCorrection1 = BiasCorrection(b1, OptState.SafeIncrement(count)).ToScalar();
            using var epsilon = eps.ToScalar();
            using var epsilonRoot = epsRoot.ToScalar();
            var mu = TreeMath.Zip(updates, s.Mu, (g, m) => g.mul(rest1).add_(m, decay1));
            var nu = TreeMath.Zip(updates, s.Nu, (g, v) => v.mul(decay2).addcmul_(g, g, rest2));
            var muHat = nesterov
                ? TreeMath.Zip(updates, mu, (g, m) => m.div(nextCorrection1).mul_(decay1).add_(g.div(correction1), rest1))
                : mu.Map(m => m.div(correction1));
            var scaled = TreeMath.Zip(muHat, nu, (m, v) =>
            {
                var denominator = v.div(correction2);
                if (epsRoot != 0) denominator.add_(epsilonRoot, Scalars.One);
                return m.div_(denominator.sqrt_().add_(epsilon, Scalars.One));
            });
            return (scaled, new ScaleByAdamState(count, mu, nu));
        });

    /// <summary><c>1 − decayᶜᵒᵘⁿᵗ</c> in float32, as <c>optax.tree.bias_correction</c> evaluates it.</summary>
    internal static float BiasCorrection(double decay, int count) => 1f - MathF.Pow((float)decay, count);
}
