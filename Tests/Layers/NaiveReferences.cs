namespace Linen.Tests.Layers;

/// <summary>
/// Plain-loop reference implementations (double accumulation, two-pass variance) that the layers are compared with.
/// Arrays are row-major; a "statistics key" maps an element's multi-index to the group it is normalized with.
/// </summary>
internal static class NaiveReferences
{
    /// <summary>Mean and biased variance of each statistics group.</summary>
    public static Dictionary<long, (double Mean, double Var)> Moments(float[] x, long[] shape, Func<long[], long> statsKey)
    {
        var groups = Indices(shape).Select((index, i) => (Key: statsKey(index), Value: (double)x[i])).GroupBy(e => e.Key);
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
    public static float[] Normalize(float[] x, long[] shape, Func<long[], long> statsKey, double epsilon, bool subtractMean,
        float[]? scale = null, float[]? bias = null, Dictionary<long, (double Mean, double Var)>? stats = null)
    {
        stats ??= subtractMean ? Moments(x, shape, statsKey)
            : Moments(x, shape, statsKey).ToDictionary(p => p.Key, p => (0.0, p.Value.Var + p.Value.Mean * p.Value.Mean));
        return Indices(shape).Select((index, i) =>
        {
            var (mean, variance) = stats[statsKey(index)];
            var c = index[^1];
            return (float)((x[i] - mean) / Math.Sqrt(variance + epsilon) * (scale?[c] ?? 1) + (bias?[c] ?? 0));
        }).ToArray();
    }

    /// <summary>
    /// Whether a normalization output is within float32 error of the reference: 1e-4 plus the error of Flax's fast
    /// variance <c>E[x²] − E[x]²</c>, whose float32 cancellation grows with <c>E[x²]/(var + ε)</c> of the group.
    /// </summary>
    public static bool NormalizedClose(float[] expected, float[] actual, float[] x, long[] shape, Func<long[], long> statsKey, double epsilon)
    {
        var stats = Moments(x, shape, statsKey);
        return expected.Length == actual.Length && Indices(shape).Select((index, i) =>
        {
            var (mean, variance) = stats[statsKey(index)];
            var cancellation = 1e-6 * (mean * mean + variance) / (variance + epsilon);
            return Math.Abs(expected[i] - actual[i]) <= (1e-4 + cancellation) * (1 + Math.Abs(expected[i]));
        }).All(ok => ok);
    }

    /// <summary>
    /// Dot-product attention on <c>[batch, length, heads, depth]</c> arrays: softmax over keys of
    /// <c>q·k/√depth</c>, blocked where <paramref name="allowed"/>(b, i, j) is false, applied to the values.
    /// </summary>
    public static float[] Attention(float[] q, float[] k, float[] v, int batch, int lq, int lk, int heads, int depth,
        Func<int, int, int, bool>? allowed = null)
    {
        var output = new float[batch * lq * heads * depth];
        var logits = new double[lk];
        for (var b = 0; b < batch; b++)
        for (var h = 0; h < heads; h++)
        for (var i = 0; i < lq; i++)
        {
            for (var j = 0; j < lk; j++)
            {
                double dot = 0;
                for (var d = 0; d < depth; d++) dot += q[((b * lq + i) * heads + h) * depth + d] * k[((b * lk + j) * heads + h) * depth + d];
                logits[j] = allowed is null || allowed(b, i, j) ? dot / Math.Sqrt(depth) : float.MinValue;
            }
            var max = logits.Max();
            var weights = logits.Select(l => Math.Exp(l - max)).ToArray();
            var total = weights.Sum();
            for (var d = 0; d < depth; d++)
            {
                double sum = 0;
                for (var j = 0; j < lk; j++) sum += weights[j] / total * v[((b * lk + j) * heads + h) * depth + d];
                output[((b * lq + i) * heads + h) * depth + d] = (float)sum;
            }
        }
        return output;
    }

    /// <summary><c>y[r, o] = Σᵢ x[r, i]·w[i, o] + bias[o]</c> over <paramref name="rows"/> rows.</summary>
    public static float[] Linear(float[] x, float[] w, float[] bias, int rows, int inSize, int outSize)
    {
        var y = new float[rows * outSize];
        for (var r = 0; r < rows; r++)
        for (var o = 0; o < outSize; o++)
        {
            double sum = bias[o];
            for (var i = 0; i < inSize; i++) sum += (double)x[r * inSize + i] * w[i * outSize + o];
            y[r * outSize + o] = (float)sum;
        }
        return y;
    }

    /// <summary>Every multi-index of <paramref name="shape"/> in row-major order.</summary>
    public static IEnumerable<long[]> Indices(long[] shape)
    {
        var count = shape.Aggregate(1L, (a, b) => a * b);
        var strides = LayerTestKit.Strides(shape);
        for (long flat = 0; flat < count; flat++)
            yield return shape.Select((_, axis) => flat / strides[axis] % shape[axis]).ToArray();
    }
}
