using Linen.Prng;
using Xunit;

namespace Linen.Tests.Prng;

/// <summary>Initializer shapes, fans and closed forms (the JAX-pinned values are in <see cref="VectorTests"/>).</summary>
public sealed class InitializerTests
{
    [Theory]
    [InlineData(new long[] { 3, 3, 16, 32 }, 144, 288)] // HWIO conv kernel: fan_in = cin kh kw, fan_out = cout kh kw
    [InlineData(new long[] { 784, 10 }, 784, 10)]
    [InlineData(new long[] { 2, 5, 7 }, 10, 14)]
    public void FansFollowJax(long[] shape, double fanIn, double fanOut) =>
        Assert.Equal((fanIn, fanOut), Initializers.ComputeFans(shape, -2, -1));

    [Fact]
    public void ConstantsIgnoreTheKey()
    {
        Assert.All(Initializers.Zeros(PrngKey.FromSeed(1), [2, 3]), v => Assert.Equal(0f, v));
        Assert.All(Initializers.Ones(PrngKey.FromSeed(1), [4]), v => Assert.Equal(1f, v));
        Assert.Equal([2.5f, 2.5f], Initializers.Constant(2.5f)(PrngKey.FromSeed(9), [2]));
    }

    [Theory]
    [InlineData(new long[] { 5, 3 }, -1)]
    [InlineData(new long[] { 3, 5 }, -1)]
    [InlineData(new long[] { 2, 3, 4 }, 1)]
    [InlineData(new long[] { 4, 4 }, 0)]
    public void OrthogonalHasOrthonormalColumnsOrRows(long[] shape, int columnAxis)
    {
        var w = Initializers.Orthogonal(2f, columnAxis)(PrngKey.FromSeed(3), shape);
        int axis = columnAxis < 0 ? columnAxis + shape.Length : columnAxis;
        int cols = (int)shape[axis], rows = w.Length / cols;

        // Gather the (rows, cols) matrix: the column index is the coordinate along `axis`.
        var m = new double[rows, cols];
        long inner = 1;
        for (int d = axis + 1; d < shape.Length; d++)
        {
            inner *= shape[d];
        }

        for (int flat = 0; flat < w.Length; flat++)
        {
            long o = flat / (cols * inner), c = flat / inner % cols, i = flat % inner;
            m[(o * inner) + i, c] = w[flat] / 2.0;
        }

        // The smaller Gram matrix is the identity.
        bool byCols = rows >= cols;
        int k = byCols ? cols : rows;
        for (int a = 0; a < k; a++)
        {
            for (int b = 0; b < k; b++)
            {
                double dot = 0;
                for (int t = 0; t < (byCols ? rows : cols); t++)
                {
                    dot += byCols ? m[t, a] * m[t, b] : m[a, t] * m[b, t];
                }

                Assert.Equal(a == b ? 1.0 : 0.0, dot, 5);
            }
        }
    }

    [Fact]
    public void VarianceScalingUniformHasTheTargetVariance()
    {
        var w = Initializers.HeUniform()(PrngKey.FromSeed(4), [1000, 300]);
        double mean = w.Average(v => (double)v), variance = w.Average(v => (double)v * v) - (mean * mean);
        Assert.Equal(2.0 / 1000, variance, 4);
        Assert.All(w, v => Assert.InRange(v, -MathF.Sqrt(6f / 1000), MathF.Sqrt(6f / 1000)));
    }
}
