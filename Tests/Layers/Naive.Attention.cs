namespace Linen.Tests.Layers;

/// <summary>Plain-loop references: dot-product attention.</summary>
internal static partial class Naive
{
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
}
