using Linen.Functional;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Layers;

/// <summary>
/// Batch normalization (<c>flax.linen.BatchNorm</c>): normalizes over every axis but <see cref="Axis"/>, with the
/// batch statistics in training and the running averages <c>batch_stats/mean</c> (zeros) and <c>batch_stats/var</c>
/// (ones) otherwise. Training outside <c>Init</c> updates them as <c>ra = momentum·ra + (1 − momentum)·batch</c>,
/// with the biased batch variance, so <c>Apply</c> needs <c>mutable: "batch_stats"</c> then.
/// </summary>
public sealed record BatchNorm : Module
{
    /// <summary>Use the running averages; null follows the call's mode (running averages unless training).</summary>
    public bool? UseRunningAverage { get; init; }

    /// <summary>The feature axis, which keeps its own statistics, scale and bias.</summary>
    public int Axis { get; init; } = -1;

    /// <summary>The decay of the running averages.</summary>
    public double Momentum { get; init; } = 0.99;

    /// <summary>Added to the variance before the square root.</summary>
    public double Epsilon { get; init; } = 1e-5;

    /// <summary>The output type; null infers it from the input and parameters.</summary>
    public ScalarType? Dtype { get; init; }

    /// <summary>The type of <c>scale</c> and <c>bias</c> (the running averages are float32).</summary>
    public ScalarType ParamDtype { get; init; } = ScalarType.Float32;

    /// <summary>Whether to add the learned <c>bias</c>.</summary>
    public bool UseBias { get; init; } = true;

    /// <summary>Whether to multiply by the learned <c>scale</c>.</summary>
    public bool UseScale { get; init; } = true;

    /// <summary>Initializer of <c>bias</c>.</summary>
    public Initializer BiasInit { get; init; } = Initializers.Zeros;

    /// <summary>Initializer of <c>scale</c>.</summary>
    public Initializer ScaleInit { get; init; } = Initializers.Ones;

    /// <summary>Use <c>E[x²] − E[x]²</c> (Flax's default) instead of <c>E[(x − E[x])²]</c>.</summary>
    public bool UseFastVariance { get; init; } = true;

    /// <summary>Normalizes <paramref name="input"/>; the output has its shape.</summary>
    /// <exception cref="InputShapeException"><see cref="Axis"/> does not exist in the input.</exception>
    /// <exception cref="ParamShapeException">The stored running averages do not match the number of features.</exception>
    /// <exception cref="ImmutableCollectionException">Training outside <c>Init</c> without <c>batch_stats</c> mutable.</exception>
    public override Tensor Call(Scope scope, Tensor input)
    {
        var features = NormalizationMath.Axes(scope, this, nameof(Axis), [Axis], input.dim());
        var reduction = Enumerable.Range(0, (int)input.dim()).Select(a => (long)a).Except(features).ToArray();
        long[] featureShape = [.. features.Select(a => input.shape[a])];
        var runningMean = scope.Variable("batch_stats", "mean", () => zeros(featureShape, ScalarType.Float32, scope.Device));
        var runningVar = scope.Variable("batch_stats", "var", () => ones(featureShape, ScalarType.Float32, scope.Device));
        foreach (var stored in new[] { runningMean, runningVar })
            if (!stored.Value.shape.SequenceEqual(featureShape))
                throw new ParamShapeException($"Variable 'batch_stats/{stored.Name}' of module '{scope.PathText}' has shape " +
                    $"{Shapes.Format(stored.Value.shape)}, but the input has {Shapes.Format(featureShape)} features on axis {Axis}. " +
                    "Were the variables made for another model or input size?");
        Tensor mean = runningMean.Value, variance = runningVar.Value;
        if (!(UseRunningAverage ?? !scope.Train))
        {
            (mean, variance) = NormalizationMath.Stats(input, reduction, Dtype, useMean: true, UseFastVariance);
            if (!scope.IsInitializing)
            {
                runningMean.Value = runningMean.Value.Mul(Momentum).Add(mean.Mul(1 - Momentum));
                runningVar.Value = runningVar.Value.Mul(Momentum).Add(variance.Mul(1 - Momentum));
            }
        }
        return NormalizationMath.Normalize(scope, input, mean, variance, reduction, features,
            new Affine(Epsilon, Dtype, ParamDtype, UseScale, UseBias, ScaleInit, BiasInit));
    }
}
