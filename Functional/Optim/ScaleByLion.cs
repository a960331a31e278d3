using TorchSharp;
using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>The state of <see cref="Optax.ScaleByLion"/> (optax's <c>ScaleByLionState</c>).</summary>
/// <param name="Count">The number of updates made so far.</param>
/// <param name="Mu">The momentum, shaped like the parameters.</param>
public sealed record ScaleByLionState(int Count, ParamTree Mu) : OptState
{
    /// <inheritdoc />
    protected override IEnumerable<Tensor> EnumerateTensors() => Mu.Leaves;
}

public static partial class Optax
{
    /// <summary>
    /// <c>optax.scale_by_lion</c> (its default <c>hard</c> mode): emits <c>sign((1−b1)·g + b1·m)</c>, then
    /// <c>m ← (1−b2)·g + b2·m</c> from 0.
    /// </summary>
    public static GradientTransformation ScaleByLion(double b1 = 0.9, double b2 = 0.99) => new(
        parameters => new ScaleByLionState(0, TreeMath.ZerosLike(parameters)),
        (updates, state, _) =>
        {
            var s = state.Expect<ScaleByLionState>(nameof(ScaleByLion));
            TreeMath.RequireMatch(nameof(ScaleByLion), updates, s.Mu, "momentum");
            using var decay1 = b1.ToScalar();
            using var decay2 = b2.ToScalar();
            using var rest1 = (1 - b1).ToScalar();
            using var rest2 = (1 - b2).ToScalar();
            var signs = TreeMath.Zip(updates, s.Mu, (g, m) => g.mul(rest1).add_(m, decay1).sign_());
            var mu = TreeMath.Zip(updates, s.Mu, (g, m) => g.mul(rest2).add_(m, decay2));
            return (signs, new ScaleByLionState(OptState.SafeIncrement(s.Count), mu));
        });
}
