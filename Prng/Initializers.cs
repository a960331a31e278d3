namespace Linen.Prng;

/// <summary>Makes initial parameter values of a shape from a key, as a <c>jax.nn.initializers</c> function does.</summary>
/// <param name="key">The key.</param>
/// <param name="shape">The row-major shape; no negative dimensions.</param>
/// <returns>The values, row-major, <c>prod(shape)</c> of them.</returns>
public delegate float[] Initializer(PrngKey key, long[] shape);

/// <summary>Which fan <see cref="Initializers.VarianceScaling"/> divides the scale by.</summary>
public enum FanMode
{
    /// <summary><c>fan_in</c>: inputs times receptive field.</summary>
    FanIn,

    /// <summary><c>fan_out</c>: outputs times receptive field.</summary>
    FanOut,

    /// <summary><c>fan_avg</c>: the mean of the two.</summary>
    FanAvg,
}

/// <summary>The distribution <see cref="Initializers.VarianceScaling"/> draws from.</summary>
public enum Distribution
{
    /// <summary>Normal truncated to two standard deviations, rescaled to the target variance.</summary>
    TruncatedNormal,

    /// <summary>Plain normal.</summary>
    Normal,

    /// <summary>Uniform on a symmetric interval.</summary>
    Uniform,
}

/// <summary>The initializers of <c>jax.nn.initializers</c>, in float32, with JAX's float arithmetic (spec §6).</summary>
public static class Initializers
{
    /// <summary>A 0.87962566f: the standard deviation of a standard normal truncated to (-2, 2).</summary>
    private const float TruncatedStddev = 0.87962566103423978f;

    /// <summary>All zeros; the key is ignored.</summary>
    public static Initializer Zeros { get; } = Constant(0f);

    /// <summary>All ones; the key is ignored.</summary>
    public static Initializer Ones { get; } = Constant(1f);

    /// <summary>
    /// <c>variance_scaling(scale, mode, distribution, in_axis, out_axis)</c>: draws with variance <c>scale / fan</c>, the fans
    /// computed in double as JAX's <c>_compute_fans</c> and the variance rounded once to float32.
    /// </summary>
    /// <param name="scale">The variance scale; not negative.</param>
    /// <param name="mode">Which fan to divide by.</param>
    /// <param name="distribution">Which distribution to draw from.</param>
    /// <param name="inAxis">The input axis; negative counts from the end.</param>
    /// <param name="outAxis">The output axis; negative counts from the end.</param>
    /// <returns>The initializer. It throws <see cref="ArgumentOutOfRangeException"/> for a bad shape or an axis outside it.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is negative or NaN.</exception>
    public static Initializer VarianceScaling(double scale, FanMode mode, Distribution distribution, int inAxis = -2, int outAxis = -1)
    {
        if (!(scale >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, $"VarianceScaling needs scale >= 0, but scale = {scale}.");
        }

        return (key, shape) =>
        {
            int count = ShapeArguments.Count(shape, nameof(shape));
            var (fanIn, fanOut) = ComputeFans(shape, inAxis, outAxis);
            if (count == 0)
            {
                return [];
            }

            double den = mode switch
            {
                FanMode.FanIn => fanIn,
                FanMode.FanOut => fanOut,
                _ => (fanIn + fanOut) / 2,
            };
            float variance = (float)(scale / den);
            return distribution switch
            {
                Distribution.TruncatedNormal => Scaled(Sample.TruncatedNormal(key, count, -2f, 2f), MathF.Sqrt(variance) / TruncatedStddev),
                Distribution.Normal => Scaled(Sample.Normal(key, count), MathF.Sqrt(variance)),
                _ => Scaled(Sample.Uniform(key, count, -1f, 1f), MathF.Sqrt(3f * variance)),
            };
        };
    }

    /// <summary><c>lecun_normal</c>: variance scaling 1, fan in, truncated normal.</summary>
    /// <param name="inAxis">The input axis.</param>
    /// <param name="outAxis">The output axis.</param>
    /// <returns>The initializer.</returns>
    public static Initializer LecunNormal(int inAxis = -2, int outAxis = -1) => VarianceScaling(1.0, FanMode.FanIn, Distribution.TruncatedNormal, inAxis, outAxis);

    /// <summary><c>lecun_uniform</c>: variance scaling 1, fan in, uniform.</summary>
    /// <param name="inAxis">The input axis.</param>
    /// <param name="outAxis">The output axis.</param>
    /// <returns>The initializer.</returns>
    public static Initializer LecunUniform(int inAxis = -2, int outAxis = -1) => VarianceScaling(1.0, FanMode.FanIn, Distribution.Uniform, inAxis, outAxis);

    /// <summary><c>glorot_normal</c> (Xavier): variance scaling 1, fan average, truncated normal.</summary>
    /// <param name="inAxis">The input axis.</param>
    /// <param name="outAxis">The output axis.</param>
    /// <returns>The initializer.</returns>
    public static Initializer GlorotNormal(int inAxis = -2, int outAxis = -1) => VarianceScaling(1.0, FanMode.FanAvg, Distribution.TruncatedNormal, inAxis, outAxis);

    /// <summary><c>glorot_uniform</c> (Xavier): variance scaling 1, fan average, uniform.</summary>
    /// <param name="inAxis">The input axis.</param>
    /// <param name="outAxis">The output axis.</param>
    /// <returns>The initializer.</returns>
    public static Initializer GlorotUniform(int inAxis = -2, int outAxis = -1) => VarianceScaling(1.0, FanMode.FanAvg, Distribution.Uniform, inAxis, outAxis);

    /// <summary><c>he_normal</c> (Kaiming): variance scaling 2, fan in, truncated normal (JAX's choice, not a plain normal).</summary>
    /// <param name="inAxis">The input axis.</param>
    /// <param name="outAxis">The output axis.</param>
    /// <returns>The initializer.</returns>
    public static Initializer HeNormal(int inAxis = -2, int outAxis = -1) => VarianceScaling(2.0, FanMode.FanIn, Distribution.TruncatedNormal, inAxis, outAxis);

    /// <summary><c>he_uniform</c> (Kaiming): variance scaling 2, fan in, uniform.</summary>
    /// <param name="inAxis">The input axis.</param>
    /// <param name="outAxis">The output axis.</param>
    /// <returns>The initializer.</returns>
    public static Initializer HeUniform(int inAxis = -2, int outAxis = -1) => VarianceScaling(2.0, FanMode.FanIn, Distribution.Uniform, inAxis, outAxis);

    /// <summary><c>normal(stddev)</c>: a standard normal times <c>(float)stddev</c>.</summary>
    /// <param name="stddev">The standard deviation.</param>
    /// <returns>The initializer.</returns>
    public static Initializer Normal(float stddev = 1e-2f) =>
        (key, shape) => Scaled(Sample.Normal(key, ShapeArguments.Count(shape, nameof(shape))), stddev);

    /// <summary><c>truncated_normal(stddev, lower, upper)</c>: a truncated standard normal times <c>stddev</c> (no variance correction, as in JAX).</summary>
    /// <param name="stddev">The scale.</param>
    /// <param name="lower">Lower truncation bound, in standard deviations.</param>
    /// <param name="upper">Upper truncation bound, in standard deviations.</param>
    /// <returns>The initializer.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lower"/> is not below <paramref name="upper"/>.</exception>
    public static Initializer TruncatedNormal(float stddev = 1e-2f, float lower = -2f, float upper = 2f)
    {
        if (!(lower < upper))
        {
            throw new ArgumentOutOfRangeException(nameof(lower), lower, $"TruncatedNormal needs lower < upper, but lower = {lower} and upper = {upper}.");
        }

        return (key, shape) => Scaled(Sample.TruncatedNormal(key, ShapeArguments.Count(shape, nameof(shape)), lower, upper), stddev);
    }

    /// <summary><c>uniform(scale)</c>: uniform in <c>[0, 1)</c> times <c>scale</c>.</summary>
    /// <param name="scale">The upper end of the range.</param>
    /// <returns>The initializer.</returns>
    public static Initializer Uniform(float scale = 1e-2f) =>
        (key, shape) => Scaled(Sample.Uniform(key, ShapeArguments.Count(shape, nameof(shape))), scale);

    /// <summary><c>constant(value)</c>: every element equal to <paramref name="value"/>; the key is ignored.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The initializer.</returns>
    public static Initializer Constant(float value) => (_, shape) =>
    {
        var result = new float[ShapeArguments.Count(shape, nameof(shape))];
        Array.Fill(result, value);
        return result;
    };

    /// <summary>
    /// <c>orthogonal(scale, column_axis)</c>: the Q of a QR decomposition of a normal matrix, with R's diagonal made positive,
    /// so the result is the same matrix JAX defines; it differs from JAX only by LAPACK-versus-ours rounding (not bit-exact).
    /// </summary>
    /// <param name="scale">Multiplies the orthogonal matrix.</param>
    /// <param name="columnAxis">The axis holding the columns; negative counts from the end.</param>
    /// <returns>The initializer. It throws <see cref="ArgumentOutOfRangeException"/> for a shape of rank below 2 or an axis outside it.</returns>
    public static Initializer Orthogonal(float scale = 1f, int columnAxis = -1) => (key, shape) =>
    {
        int count = ShapeArguments.Count(shape, nameof(shape));
        if (shape.Length < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(shape), $"Orthogonal needs a shape of rank >= 2, but shape = [{string.Join(", ", shape)}].");
        }

        int axis = NormaliseAxis(columnAxis, shape, nameof(columnAxis));
        int nCols = (int)shape[axis];
        int nRows = nCols == 0 ? 0 : count / nCols;
        if (count == 0)
        {
            return [];
        }

        bool transpose = nRows < nCols;
        int m = transpose ? nCols : nRows, k = transpose ? nRows : nCols;
        var a = Sample.Normal(key, m * k);
        var q = Householder.OrthonormalColumns(a, m, k); // m x k, row-major, R's diagonal made non-negative

        // Q as (nRows, nCols), then reshape to (shape without axis) + (nCols,) and move the last axis to `axis`.
        var result = new float[count];
        long outer = 1;
        for (int d = 0; d < axis; d++)
        {
            outer *= shape[d];
        }

        long inner = count / outer / nCols;
        for (long o = 0; o < outer; o++)
        {
            for (int c = 0; c < nCols; c++)
            {
                for (long i = 0; i < inner; i++)
                {
                    int row = (int)((o * inner) + i);
                    double v = transpose ? q[(c * k) + row] : q[(row * k) + c];
                    result[(((o * nCols) + c) * inner) + i] = scale * (float)v;
                }
            }
        }

        return result;
    };

    /// <summary>JAX's <c>_compute_fans</c>: receptive field = product of the other axes, in double.</summary>
    internal static (double FanIn, double FanOut) ComputeFans(long[] shape, int inAxis, int outAxis)
    {
        int i = NormaliseAxis(inAxis, shape, nameof(inAxis));
        int o = NormaliseAxis(outAxis, shape, nameof(outAxis));
        double prod = 1;
        foreach (long d in shape)
        {
            prod *= d;
        }

        double inSize = shape[i], outSize = shape[o];
        double receptive = prod / inSize / outSize;
        return (inSize * receptive, outSize * receptive);
    }

    private static int NormaliseAxis(int axis, long[] shape, string paramName)
    {
        int a = axis < 0 ? axis + shape.Length : axis;
        if (a < 0 || a >= shape.Length)
        {
            throw new ArgumentOutOfRangeException(
                paramName, axis, $"{paramName} = {axis} is outside shape [{string.Join(", ", shape)}] of rank {shape.Length}.");
        }

        return a;
    }

    private static float[] Scaled(float[] values, float factor)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] *= factor;
        }

        return values;
    }
}
