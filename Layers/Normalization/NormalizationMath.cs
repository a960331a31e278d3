using Linen.Functional;
using Linen.Prng;
using TorchSharp;
using static TorchSharp.torch;

namespace Linen.Layers;

/// <summary>The learned affine part and output type of a normalization layer (Flax's <c>_normalize</c> arguments).</summary>
internal readonly record struct Affine(
    double Epsilon, ScalarType? Dtype, ScalarType ParamDtype, bool UseScale, bool UseBias, Initializer ScaleInit, Initializer BiasInit);

/// <summary>
/// What every normalization layer shares: statistics over some axes (Flax's <c>_compute_stats</c>) and the
/// normalization with a learned per-feature scale and bias (Flax's <c>_normalize</c>).
/// </summary>
internal static class NormalizationMath
{
    /// <summary>Sorted, distinct, non-negative axes; an axis outside the input's rank is a shape error.</summary>
    public static long[] Axes(Scope scope, Module module, string what, IEnumerable<int> axes, long rank)
    {
        foreach (var axis in axes)
            if (axis < -rank || axis >= rank)
                throw scope.ShapeError(module, $"{what} contains axis {axis}, which does not exist in an input of rank {rank}.");
        return axes.Select(a => (long)(a < 0 ? a + rank : a)).Distinct().Order().ToArray();
    }

    /// <summary>
    /// Mean and variance of <paramref name="x"/> over <paramref name="axes"/>, computed in at least float32. The
    /// fast variance is <c>max(0, E[x²] − E[x]²)</c> (the clip absorbs round-off); otherwise <c>E[(x − E[x])²]</c>.
    /// Without <paramref name="useMean"/> the mean is zero and the "variance" is <c>E[x²]</c> (RMSNorm).
    /// </summary>
    public static (Tensor Mean, Tensor Var) Stats(Tensor x, long[] axes, ScalarType? dtype, bool useMean, bool fastVariance)
    {
        var type = promote_types(dtype ?? x.dtype, ScalarType.Float32);
        var values = MixedPrecision.Cast(x, type);
        if (!useMean)
        {
            var meanSquare = values.Square().mean(axes);
            return (zeros_like(meanSquare), meanSquare);
        }
        var mean = values.mean(axes);
        var variance = fastVariance
            ? (values.Square().mean(axes) - mean.Square()).clamp_min(Scalars.Zero)
            : (values - values.mean(axes, keepdim: true)).Square().mean(axes);
        return (mean, variance);
    }

    /// <summary>
    /// <c>(x − mean)·(rsqrt(var + ε)·scale) + bias</c>: the statistics (shaped like <paramref name="x"/> without the
    /// <paramref name="reductionAxes"/>) are broadcast back, and <c>scale</c>/<c>bias</c> parameters have the sizes
    /// of the <paramref name="featureAxes"/>. The result has <c>Dtype</c>, or else the promotion of x, scale and bias.
    /// </summary>
    public static Tensor Normalize(Scope scope, Tensor x, Tensor mean, Tensor variance, long[] reductionAxes, long[] featureAxes, Affine affine)
    {
        foreach (var axis in reductionAxes)
        {
            mean = mean.unsqueeze(axis);
            variance = variance.unsqueeze(axis);
        }
        var shape = Shapes.Of(x);
        var featureShape = Enumerable.Range(0, shape.Length).Select(a => featureAxes.Contains(a) ? shape[a] : 1L).ToArray();
        var paramShape = featureAxes.Select(a => shape[a]).ToArray();
        var y = x - mean;
        var multiplier = variance.Add(affine.Epsilon).rsqrt();
        Tensor? scale = null, bias = null;
        if (affine.UseScale)
        {
            scale = scope.Param("scale", affine.ScaleInit, paramShape, affine.ParamDtype);
            multiplier = multiplier * scale.reshape(featureShape);
        }
        y = y * multiplier;
        if (affine.UseBias)
        {
            bias = scope.Param("bias", affine.BiasInit, paramShape, affine.ParamDtype);
            y = y.Add(bias.reshape(featureShape));
        }
        return MixedPrecision.Cast(y, MixedPrecision.ComputeType(affine.Dtype, x, scale, bias));
    }
}
