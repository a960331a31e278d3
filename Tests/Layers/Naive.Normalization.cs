namespace Linen.Tests.Layers;

/// <summary>
/// Plain-loop references: normalization (two-pass variance). A "statistics key" maps an element's multi-index to the
/// group it is normalized with.
/// </summary>
internal static partial class Naive
{
    /// <summary>Mean and biased variance of each statistics group.</summary>
    public static Dictionary<long, (double Mean, double Var)> Moments(Nd x, Func<long[], long> statsKey)
    {
        var groups = Nd.Indices(x.Shape).Select((index, i) => (Key: statsKey(index), Value: (double)x.Data[i])).GroupBy(e => e.Key);
        return groups.ToDictionary(g => g.Key, g =>
        {
            var mean = g.Average(e => e.Value);
            return (mean, g.Average(e => (e.Value - mean) * (e.Value - mean)));
        });
    }

    /// <summary>
    /// <c>(x − mean)/√(var + ε)·scale + bias</c> per statistics group, with scale and bias indexed by the last axis;
    /// without <paramref name="subtractMean"/>, <c>x/√(mean(x²) + ε)·scale</c> (RMSNorm).
    /// </summary>
    public static float[] Normalize(Nd x, Func<long[], long> statsKey, double epsilon, bool subtractMean,
        float[]? scale = null, float[]? bias = null, Dictionary<long, (double Mean, double Var)>? stats = null)
    {
        stats ??= subtractMean ? Moments(x, statsKey)
            : Moments(x, statsKey).ToDictionary(p => p.Key, p => (0.0, p.Value.Var + p.Value.Mean * p.Value.Mean));
        return Nd.Indices(x.Shape).Select((index, i) =>
        {
            var (mean, variance) = stats[statsKey(index)];
            var c = index[^1];
            return (float)((x.Data[i] - mean) / Math.Sqrt(variance + epsilon) * (scale?[c] ?? 1) + (bias?[c] ?? 0));
        }).ToArray();
    }

    /// <summary>
    /// Whether a normalization output is within float32 error of the reference: 1e-4 plus the error of Flax's fast
    /// variance <c>E[x²] − E[x]²</c>, whose float32 cancellation grows with <c>E[x²]/(var + ε)</c> of the group.
    /// </summary>
    public static bool NormalizedClose(float[] expected, float[] actual, Nd x, Func<long[], long> statsKey, double epsilon)
    {
        var stats = Moments(x, statsKey);
        return expected.Length == actual.Length && Nd.Indices(x.Shape).Select((index, i) =>
        {
            var (mean, variance) = stats[statsKey(index)];
            var cancellation = 1e-6 * (mean * mean + variance) / (variance + epsilon);
            return Math.Abs(expected[i] - actual[i]) <= (1e-4 + cancellation) * (1 + Math.Abs(expected[i]));
        }).All(ok => ok);
    }

    /// <summary>The statistics key of normalizing over <paramref name="reduced"/>: an element's position with those axes at 0.</summary>
    public static Func<long[], long> StatsKeyWithout(long[] shape, params int[] reduced) =>
        index => Nd.Offset(shape, [.. index.Select((v, axis) => reduced.Contains(axis) ? 0 : v)]);
}
