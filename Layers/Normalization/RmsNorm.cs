using Linen.Functional;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Layers;

/// <summary>
/// RMS layer normalization (<c>flax.linen.RMSNorm</c>): <c>x·rsqrt(mean(x²) + ε)·scale</c> over
/// <see cref="ReductionAxes"/>, with no mean subtraction and no bias. Auto-named <c>RMSNorm_k</c>, as in Flax.
/// </summary>
public sealed record RmsNorm : Module
{
    /// <summary>Flax's class name, so that auto-names, and with them parameter paths and keys, match.</summary>
    public override string TypeName => "RMSNorm";

    /// <summary>Added to the mean square before the square root.</summary>
    public double Epsilon { get; init; } = 1e-6;

    /// <summary>The output type; null infers it from the input and parameters.</summary>
    public ScalarType? Dtype { get; init; }

    /// <summary>The type of <c>scale</c>.</summary>
    public ScalarType ParamDtype { get; init; } = ScalarType.Float32;

    /// <summary>Whether to multiply by the learned <c>scale</c>.</summary>
    public bool UseScale { get; init; } = true;

    /// <summary>Initializer of <c>scale</c>.</summary>
    public Initializer ScaleInit { get; init; } = Initializers.Ones;

    /// <summary>The axes the mean square is computed over.</summary>
    public int[] ReductionAxes { get; init; } = [-1];

    /// <summary>The axes that get their own scale.</summary>
    public int[] FeatureAxes { get; init; } = [-1];

    /// <summary>Normalizes <paramref name="input"/>; the output has its shape.</summary>
    /// <exception cref="InputShapeException">An axis does not exist in the input.</exception>
    public override Tensor Call(Scope scope, Tensor input)
    {
        var reduction = NormalizationMath.Axes(scope, this, nameof(ReductionAxes), ReductionAxes, input.dim());
        var features = NormalizationMath.Axes(scope, this, nameof(FeatureAxes), FeatureAxes, input.dim());
        var (mean, meanSquare) = NormalizationMath.Stats(input, reduction, Dtype, useMean: false, fastVariance: true);
        return NormalizationMath.Normalize(scope, input, mean, meanSquare, reduction, features,
            new Affine(Epsilon, Dtype, ParamDtype, UseScale, UseBias: false, ScaleInit, Initializers.Zeros));
    }
}
