using TorchSharp;
using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>The state of <see cref="Optax.ScaleByRss"/> (optax's <c>ScaleByRssState</c>).</summary>
/// <param name="SumOfSquares">The accumulated squared gradients, shaped like the parameters.</param>
public sealed record ScaleByRssState(ParamTree SumOfSquares) : OptState
{
    /// <inheritdoc />
    protected override IEnumerable<Tensor> EnumerateTensors() => SumOfSquares.Leaves;
}

public static partial class Optax
{
    /// <summary>
    /// <c>optax.scale_by_rss</c> (Adagrad's scaling): <c>s ← g² + s</c> from <c>s = initialAccumulatorValue</c>,
    /// then <c>g / √(s + eps)</c> where <c>s &gt; 0</c> and 0 elsewhere.
    /// </summary>
    public static GradientTransformation ScaleByRss(double initialAccumulatorValue = 0.1, double eps = 1e-7) => new(
        parameters => new ScaleByRssState(TreeMath.FullLike(parameters, initialAccumulatorValue)),
        (updates, state, _) =>
        {
            var sums = state.Expect<ScaleByRssState>(nameof(ScaleByRss)).SumOfSquares;
            TreeMath.RequireMatch(nameof(ScaleByRss), updates, sums, "sum of squares");
            var next = TreeMath.Zip(updates, sums, (g, s) => g.Square().AddInPlace(s));
            using var epsilon = eps.ToScalar();
            var scaled = TreeMath.Zip(updates, next, (g, s) =>
                s.add(epsilon, Scalars.One).rsqrt_().masked_fill_(s.le(Scalars.Zero), Scalars.Zero).mul_(g));
            return (scaled, new ScaleByRssState(next));
        });
}
