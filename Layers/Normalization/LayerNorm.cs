using Linen.Functional;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Layers;

/// <summary>
/// Layer normalization (<c>flax.linen.LayerNorm</c>): each example is normalized over <see cref="ReductionAxes"/> to
/// mean 0 and variance 1, then scaled by <c>scale</c> (ones) and shifted by <c>bias</c> (zeros), both shaped like the
/// <see cref="FeatureAxes"/>. Statistics are computed in at least float32.
/// </summary>
public sealed record LayerNorm : Module
{
    /// <summary>Added to the variance before the square root.</summary>
    public double Epsilon { get; init; } = 1e-6;

    /// <summary>The output type; null infers it from the input and parameters.</summary>
    public ScalarType? Dtype { get; init; }

    /// <summary>The type of <c>scale</c> and <c>bias</c>.</summary>
    public ScalarType ParamDtype { get; init; } = ScalarType.Float32;

    /// <summary>Whether to add the learned <c>bias</c>.</summary>
    public bool UseBias { get; init; } = true;

    /// <summary>Whether to multiply by the learned <c>scale</c>.</summary>
    public bool UseScale { get; init; } = true;

    /// <summary>Initializer of <c>bias</c>.</summary>
    public Initializer BiasInit { get; init; } = Initializers.Zeros;

    /// <summary>Initializer of <c>scale</c>.</summary>
    public Initializer ScaleInit { get; init; } = Initializers.Ones;

    /// <summary>The axes the statistics are computed over (negative counts from the end).</summary>
    public int[] ReductionAxes { get; init; } = [-1];

    /// <summary>The axes that get their own scale and bias.</summary>
    public int[] FeatureAxes { get; init; } = [-1];

    /// <summary>
    /// Use <c>E[x²] − E[x]²</c> (Flax's default) instead of <c>E[(x − E[x])²]</c>. Float32 normalization over the
    /// trailing axes always runs as LibTorch's fused <c>layer_norm</c>, whose variance is the second form (see remarks).
    /// </summary>
    /// <remarks>
    /// The flag only picks how Flax's engine computes the variance (faster on accelerators, less stable). Both forms
    /// agree to rounding on well-conditioned rows; where they do not, Flax's own value depends on XLA's reduction order,
    /// which no other engine reproduces. The fused op replaces about a dozen kernels forward and backward.
    /// </remarks>
    public bool UseFastVariance { get; init; } = true;

    /// <summary>Normalizes <paramref name="input"/>; the output has its shape.</summary>
    /// <exception cref="InputShapeException">An axis does not exist in the input.</exception>
    public override Tensor Call(Scope scope, Tensor input)
    {
        var reduction = NormalizationMath.Axes(scope, this, nameof(ReductionAxes), ReductionAxes, input.dim());
        var features = NormalizationMath.Axes(scope, this, nameof(FeatureAxes), FeatureAxes, input.dim());
        if (CanFuse(input, reduction, features)) return Fused(scope, input, features);
        var (mean, variance) = NormalizationMath.Stats(input, reduction, Dtype, useMean: true, UseFastVariance);
        return NormalizationMath.Normalize(scope, input, mean, variance, reduction, features,
            new Affine(Epsilon, Dtype, ParamDtype, UseScale, UseBias, ScaleInit, BiasInit));
    }

    // LibTorch's layer_norm normalizes the trailing axes and scales them by parameters of their shape; mixed
    // precision keeps the composed path, which computes the statistics in float32 and casts as Flax does.
    private bool CanFuse(Tensor input, long[] reduction, long[] features) =>
        input.dtype == ScalarType.Float32 && (Dtype ?? ScalarType.Float32) == ScalarType.Float32 && ParamDtype == ScalarType.Float32 &&
        reduction.Length > 0 && reduction.SequenceEqual(features) && reduction[0] == input.dim() - reduction.Length;

    private Tensor Fused(Scope scope, Tensor input, long[] features)
    {
        long[] shape = [.. features.Select(a => input.shape[a])];
        var scale = UseScale ? scope.Param("scale", ScaleInit, shape, ParamDtype) : null;
        var bias = UseBias ? scope.Param("bias", BiasInit, shape, ParamDtype) : null;
        return nn.functional.layer_norm(input, shape, scale, bias, Epsilon);
    }
}
