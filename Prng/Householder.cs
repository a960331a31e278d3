namespace Linen.Prng;

/// <summary>A small Householder QR in double, enough for the orthogonal initializer.</summary>
internal static class Householder
{
    /// <summary>
    /// The Q factor (m x k, row-major, m &gt;= k) of the reduced QR of <paramref name="a"/>, with each column's sign
    /// chosen so that R's diagonal is non-negative (JAX multiplies by <c>sign(diag(R))</c>); that makes Q unique.
    /// </summary>
    internal static double[] OrthonormalColumns(float[] a, int m, int k)
    {
        var r = new double[m * k];
        for (int i = 0; i < r.Length; i++)
        {
            r[i] = a[i];
        }

        var vs = new double[k][];
        var diag = new double[k];
        for (int j = 0; j < k; j++)
        {
            double norm = 0;
            for (int i = j; i < m; i++)
            {
                norm += r[(i * k) + j] * r[(i * k) + j];
            }

            norm = Math.Sqrt(norm);
            double x0 = r[(j * k) + j];
            double alpha = x0 >= 0 ? -norm : norm; // reflect away from x0 to avoid cancellation
            var v = new double[m - j];
            for (int i = j; i < m; i++)
            {
                v[i - j] = r[(i * k) + j];
            }

            v[0] -= alpha;
            double vnorm2 = 0;
            foreach (double x in v)
            {
                vnorm2 += x * x;
            }

            vs[j] = v;
            diag[j] = alpha;
            if (vnorm2 == 0)
            {
                continue;
            }

            for (int c = j; c < k; c++)
            {
                double dot = 0;
                for (int i = j; i < m; i++)
                {
                    dot += v[i - j] * r[(i * k) + c];
                }

                double f = 2 * dot / vnorm2;
                for (int i = j; i < m; i++)
                {
                    r[(i * k) + c] -= f * v[i - j];
                }
            }
        }

        // Q = H0 H1 ... H(k-1) applied to the first k columns of the identity.
        var q = new double[m * k];
        for (int j = 0; j < k; j++)
        {
            q[(j * k) + j] = 1;
        }

        for (int j = k - 1; j >= 0; j--)
        {
            var v = vs[j];
            double vnorm2 = 0;
            foreach (double x in v)
            {
                vnorm2 += x * x;
            }

            if (vnorm2 == 0)
            {
                continue;
            }

            for (int c = 0; c < k; c++)
            {
                double dot = 0;
                for (int i = j; i < m; i++)
                {
                    dot += v[i - j] * q[(i * k) + c];
                }

                double f = 2 * dot / vnorm2;
                for (int i = j; i < m; i++)
                {
                    q[(i * k) + c] -= f * v[i - j];
                }
            }
        }

        // jnp.sign(diag(R)): negative diagonal flips the column; a zero diagonal zeroes it, as in JAX.
        for (int c = 0; c < k; c++)
        {
            double s = Math.Sign(diag[c]);
            for (int i = 0; i < m; i++)
            {
                q[(i * k) + c] *= s;
            }
        }

        return q;
    }
}
