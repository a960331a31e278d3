using Linen.Functional;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Layers;

/// <summary>
/// Dropout (<c>flax.linen.Dropout</c>): in training, zeroes each element with probability <see cref="Rate"/> and
/// scales the kept ones by <c>1 / (1 − Rate)</c>; otherwise returns the input. The mask is
/// <c>bernoulli(key, 1 − Rate)</c> on the input's shape with the <see cref="BroadcastDims"/> set to 1, drawn from
/// the <see cref="RngCollection"/> stream (<c>dropout</c>), so every call of the same layer draws a new mask.
/// </summary>
/// <param name="Rate">The probability of dropping an element (not of keeping it), in [0, 1].</param>
public sealed record Dropout(double Rate) : Module
{
    /// <summary>Axes along which one mask value is shared (e.g. the time axis for recurrent dropout).</summary>
    public int[] BroadcastDims { get; init; } = [];

    /// <summary>Return the input unchanged; null follows the call's mode (active only when training).</summary>
    public bool? Deterministic { get; init; }

    /// <summary>The RNG stream the mask key comes from.</summary>
    public string RngCollection { get; init; } = "dropout";

    /// <summary>Applies dropout with the next key of <see cref="RngCollection"/>.</summary>
    /// <exception cref="MissingRngException">Dropout is active and no key of the stream was given.</exception>
    public override Tensor Call(Scope scope, Tensor input) => Call(scope, input, rng: null);

    /// <summary>Applies dropout with <paramref name="rng"/> as the mask key (Flax's <c>rng</c> argument), or the stream's next key.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="Rate"/> is outside [0, 1].</exception>
    /// <exception cref="InputShapeException">A broadcast dimension does not exist in the input.</exception>
    /// <exception cref="MissingRngException">Dropout is active, <paramref name="rng"/> is null and no key of the stream was given.</exception>
    public Tensor Call(Scope scope, Tensor input, PrngKey? rng)
    {
        if (!(Rate is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(Rate), Rate, $"{TypeName} at '{scope.PathText}': the rate is a probability in [0, 1].");
        if (Rate == 0 || (Deterministic ?? !scope.Train)) return input.alias();
        // Flax returns zeros rather than x·0/0, which would make NaN gradients.
        if (Rate == 1) return zeros_like(input);
        var keep = 1.0 - Rate;
        var rank = input.dim();
        var maskShape = Shapes.Of(input);
        foreach (var dim in BroadcastDims)
        {
            if (dim < -rank || dim >= rank)
                throw scope.ShapeError(this, $"{nameof(BroadcastDims)} contains axis {dim}, which does not exist in an input of shape {Shapes.Format(input.shape)}.");
            maskShape[dim < 0 ? dim + rank : dim] = 1;
        }
        var mask = RandomMasks.Bernoulli(rng ?? scope.MakeRng(RngCollection), keep, maskShape, input.device);
        // Flax's where(mask, x / keep, 0) as two vectorised ops: LibTorch's where is a scalar loop, about 4× slower
        // forward and backward. The values are the same for finite inputs (a dropped negative one gives −0).
        var scaled = input.Div(keep);
        return scaled.mul_(mask.to_type(scaled.dtype));
    }
}
