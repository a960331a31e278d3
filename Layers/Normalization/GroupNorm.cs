using Linen.Functional;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Layers;

/// <summary>
/// Group normalization (<c>flax.linen.GroupNorm</c>): the channels (last axis) are split into groups, and each group
/// of each example is normalized over the <see cref="ReductionAxes"/> (default: every axis but the first) and its
/// channels; then a per-channel <c>scale</c> (ones) and <c>bias</c> (zeros) apply. Set exactly one of
/// <see cref="NumGroups"/> (default 32) and <see cref="GroupSize"/>.
/// </summary>
public sealed record GroupNorm : Module
{
    /// <summary>The number of channel groups; set it to null to use <see cref="GroupSize"/>.</summary>
    public int? NumGroups { get; init; } = 32;

    /// <summary>The number of channels per group (with <see cref="NumGroups"/> null).</summary>
    public int? GroupSize { get; init; }

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

    /// <summary>The axes statistics are computed over; they must include the last (channel) axis. Null: all but axis 0.</summary>
    public int[]? ReductionAxes { get; init; }

    /// <summary>Use <c>E[x²] − E[x]²</c> (Flax's default) instead of <c>E[(x − E[x])²]</c>.</summary>
    public bool UseFastVariance { get; init; } = true;

    /// <summary>Normalizes <paramref name="input"/> (channels last); the output has its shape.</summary>
    /// <exception cref="ArgumentException">Both or neither of <see cref="NumGroups"/> and <see cref="GroupSize"/> are set.</exception>
    /// <exception cref="InputShapeException">The groups do not divide the channels, or the reduction axes are invalid.</exception>
    public override Tensor Call(Scope scope, Tensor input)
    {
        var rank = input.dim();
        var reduction = NormalizationMath.Axes(scope, this, nameof(ReductionAxes),
            ReductionAxes ?? [.. Enumerable.Range(1, (int)Math.Max(rank - 2, 0)), -1], rank);
        if (reduction[^1] != rank - 1)
            throw scope.ShapeError(this, $"{nameof(ReductionAxes)} must include the last axis, which holds the channels.");
        if (NumGroups.HasValue == GroupSize.HasValue)
            throw new ArgumentException($"{TypeName} at '{scope.PathText}': set exactly one of {nameof(NumGroups)} and {nameof(GroupSize)} " +
                $"(got {NumGroups?.ToString() ?? "null"} and {GroupSize?.ToString() ?? "null"}); to use {nameof(GroupSize)}, set {nameof(NumGroups)} to null.");
        var channels = input.shape[^1];
        var groups = NumGroups ?? (GroupSize > 0 && channels % GroupSize == 0 ? channels / GroupSize!.Value : 0);
        if (groups <= 0 || channels % groups != 0)
            throw scope.ShapeError(this, GroupSize is { } size
                ? $"the number of channels ({channels}) is not a multiple of the group size ({size})."
                : $"the number of groups ({groups}) does not divide the number of channels ({channels}).");
        var grouped = input.reshape([.. input.shape[..^1], groups, channels / groups]);
        var (mean, variance) = NormalizationMath.Stats(grouped, [.. reduction[..^1], rank], Dtype, useMean: true, UseFastVariance);
        return NormalizationMath.Normalize(scope, input,
            mean.repeat_interleave(channels / groups, dim: -1), variance.repeat_interleave(channels / groups, dim: -1),
            reduction[..^1], [rank - 1], new Affine(Epsilon, Dtype, ParamDtype, UseScale, UseBias, ScaleInit, BiasInit));
    }
}
