using Linen.Prng;
using Xunit;

namespace Linen.Tests.Prng;

/// <summary>The vectorised, multi-core paths give the same bits as the plain scalar code, at every size boundary.</summary>
public sealed class PathEqualityTests
{
    public static TheoryData<int, bool> Sizes()
    {
        var data = new TheoryData<int, bool>();
        foreach (int n in new[] { 0, 1, 7, 15, 16, 17, 33, 56, 63, 1000, RandomBits.ChunkSize + 3, RandomBits.ParallelThreshold + 17, (1 << 18) + 1 })
        {
            data.Add(n, false);
            data.Add(n, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void BitsMatchTheScalarHash(int n, bool legacy)
    {
        var key = new PrngKey(0x12345678, 0x9ABCDEF0, legacy ? ThreefryMode.Legacy : ThreefryMode.Partitionable);
        var got = Sample.Bits(key, n);
        uint[] want;
        if (legacy)
        {
            var iota = Enumerable.Range(0, n).Select(i => (uint)i).ToArray();
            want = ScalarHashArray(key.K0, key.K1, iota);
        }
        else
        {
            want = new uint[n];
            Threefry2x32.HashIotaXorScalar(key.K0, key.K1, 0u, 0u, want);
        }

        Assert.Equal(want, got);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void SamplersMatchTheScalarElementFunctions(int n, bool legacy)
    {
        var key = new PrngKey(42, 4242, legacy ? ThreefryMode.Legacy : ThreefryMode.Partitionable);
        var bits = Sample.Bits(key, n);
        AssertBitEqual(Sample.NormalScalar(key, n), Sample.Normal(key, n));
        AssertBitEqual(Sample.UniformScalar(key, n, -3.25f, 7.1f), Sample.Uniform(key, n, -3.25f, 7.1f));

        float a = SpecialMath.Erf(-1.5f / SpecialMath.Sqrt2), b = SpecialMath.Erf(0.75f / SpecialMath.Sqrt2);
        var want = bits.Select(x => Sample.ErfInvOf(x, a, b - a, MathF.BitIncrement(-1.5f), MathF.BitDecrement(0.75f))).ToArray();
        AssertBitEqual(want, Sample.TruncatedNormal(key, n, -1.5f, 0.75f));
    }

    [Fact]
    public void SpanHashMatchesScalarHash()
    {
        var rng = new Random(1);
        var x0 = Enumerable.Range(0, 1003).Select(_ => (uint)rng.NextInt64(0, 1L << 32)).ToArray();
        var x1 = Enumerable.Range(0, 1003).Select(_ => (uint)rng.NextInt64(0, 1L << 32)).ToArray();
        var y0 = new uint[x0.Length];
        var y1 = new uint[x0.Length];
        Threefry2x32.Hash(7, 11, x0, x1, y0, y1);
        for (int i = 0; i < x0.Length; i++)
        {
            Assert.Equal(Threefry2x32.Hash(7, 11, x0[i], x1[i]), (y0[i], y1[i]));
        }
    }

    [Fact]
    public void VectorErfInvAndLogMatchScalarOnHardInputs()
    {
        // Random floats in (-1, 1), the extremes, tiny values (the |t| < 2^-29 branch) and the w = 5 switch.
        var rng = new Random(3);
        var xs = new List<float> { 0f, -0f, 1f, -1f, MathF.BitDecrement(1f), MathF.BitIncrement(-1f), 1e-20f, -3e-5f, 0.9966f, -0.99663f, 0.5f };
        for (int i = 0; i < 20000; i++)
        {
            xs.Add((float)((rng.NextDouble() * 2) - 1));
        }

        while (xs.Count % 8 != 0)
        {
            xs.Add(0.25f);
        }

        for (int i = 0; i < xs.Count; i += 8)
        {
            var v = System.Runtime.Intrinsics.Vector256.Create(xs.GetRange(i, 8).ToArray());
            var r = SpecialMath.ErfInv(v);
            for (int j = 0; j < 8; j++)
            {
                float s = SpecialMath.ErfInv(xs[i + j]);
                Assert.True(BitConverter.SingleToInt32Bits(s) == BitConverter.SingleToInt32Bits(r[j]), $"ErfInv({xs[i + j]:R}): scalar {s:R}, vector {r[j]:R}");
            }
        }

        for (int i = 0; i < 20000; i += 4)
        {
            var ys = Enumerable.Range(0, 4).Select(_ => Math.Exp((rng.NextDouble() * 200) - 100)).ToArray();
            var r = SpecialMath.Log(System.Runtime.Intrinsics.Vector256.Create(ys));
            for (int j = 0; j < 4; j++)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(SpecialMath.Log(ys[j])), BitConverter.DoubleToInt64Bits(r[j]));
                Assert.True(Math.Abs(SpecialMath.Log(ys[j]) - Math.Log(ys[j])) <= 4e-16 * Math.Max(1, Math.Abs(Math.Log(ys[j]))));
            }
        }
    }

    [Fact]
    public void FloatLogIsCorrectlyRoundedOnASample()
    {
        // Our float log is the double log rounded once; compare with the platform's double log rounded once.
        var rng = new Random(5);
        int differ = 0;
        for (int i = 0; i < 200000; i++)
        {
            float x = (float)rng.NextDouble();
            if (x == 0f)
            {
                continue;
            }

            if (SpecialMath.LogF(x) != (float)Math.Log(x))
            {
                differ++;
            }
        }

        Assert.True(differ <= 1, $"{differ} of 200000 float logs differ from (float)Math.Log");
    }

    private static uint[] ScalarHashArray(uint k0, uint k1, uint[] counts)
    {
        int n = counts.Length, h = (n + 1) / 2;
        var c = new uint[2 * h];
        counts.CopyTo(c, 0);
        var y = new uint[2 * h];
        for (int j = 0; j < h; j++)
        {
            (y[j], y[h + j]) = Threefry2x32.Hash(k0, k1, c[j], c[h + j]);
        }

        return y[..n];
    }

    private static void AssertBitEqual(float[] want, float[] got)
    {
        Assert.Equal(want.Length, got.Length);
        for (int i = 0; i < want.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(want[i]) != BitConverter.SingleToInt32Bits(got[i]))
            {
                Assert.Fail($"element {i}: scalar {want[i]:R}, vectorised {got[i]:R}");
            }
        }
    }
}
