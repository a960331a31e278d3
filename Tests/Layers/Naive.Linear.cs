namespace Linen.Tests.Layers;

/// <summary>Plain-loop references: tensor contractions (Dense, DenseGeneral and the attention projections).</summary>
internal static partial class Naive
{
    /// <summary>Contracts input axes <paramref name="axes"/> (ascending) with the leading kernel dims; the output is the other input dims then the kernel's rest.</summary>
    public static Nd Contract(Nd x, long[] axes, Nd k)
    {
        long[] free = [.. Enumerable.Range(0, x.Shape.Length).Select(a => (long)a).Except(axes)];
        var features = k.Shape[axes.Length..];
        var y = Nd.Zeros([.. free.Select(a => x.Shape[a]), .. features]);
        foreach (var o in Nd.Indices(y.Shape))
        {
            var sum = 0.0;
            foreach (var c in Nd.Indices([.. axes.Select(a => x.Shape[a])]))
            {
                var index = new long[x.Shape.Length];
                for (var i = 0; i < free.Length; i++) index[free[i]] = o[i];
                for (var i = 0; i < axes.Length; i++) index[axes[i]] = c[i];
                sum += (double)x[index] * k[[.. c, .. o[free.Length..]]];
            }
            y[o] = (float)sum;
        }
        return y;
    }

    /// <summary>Adds a bias over the last dims.</summary>
    public static Nd AddBias(Nd y, Nd bias)
    {
        var n = bias.Data.Length;
        return y with { Data = [.. y.Data.Select((v, i) => v + bias.Data[i % n])] };
    }
}
