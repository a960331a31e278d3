using Linen.Functional;
using Linen.Prng;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Linen.Tests.Functional;

/// <summary>
/// Tensor samplers: the array path wraps <see cref="Sample"/>, and the on-device int32-tensor path (run here on the
/// CPU, since no other device is available to these tests) gives the same bits in both counter layouts.
/// </summary>
public sealed class TensorSampleTests
{
    public static TheoryData<int, bool> Sizes()
    {
        var data = new TheoryData<int, bool>();
        foreach (int n in new[] { 1, 2, 7, 64, 1001, 100_003 })
        {
            data.Add(n, false);
            data.Add(n, true);
        }

        return data;
    }

    private static PrngKey Key(bool legacy) => new(2718, 28182, legacy ? ThreefryMode.Legacy : ThreefryMode.Partitionable);

    [Theory]
    [MemberData(nameof(Sizes))]
    public void DevicePathBitsEqualArrayPath(int n, bool legacy)
    {
        using var scope = torch.NewDisposeScope();
        var t = TensorSample.OnDevice.Bits(Key(legacy), n, CPU);
        Assert.Equal(ScalarType.Int32, t.dtype);
        Assert.Equal(Sample.Bits(Key(legacy), n), t.data<int>().ToArray().Select(x => unchecked((uint)x)));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void DevicePathFloatSamplersEqualArrayPath(int n, bool legacy)
    {
        using var scope = torch.NewDisposeScope();
        var key = Key(legacy);
        AssertBitEqual(Sample.Uniform(key, n, -3.25f, 7.1f), TensorSample.OnDevice.Uniform(key, n, -3.25f, 7.1f, CPU));
        AssertBitEqual(Sample.Uniform(key, n), TensorSample.OnDevice.Uniform(key, n, 0f, 1f, CPU));
        AssertBitEqual(Sample.Normal(key, n), TensorSample.OnDevice.Normal(key, n, CPU));
        AssertBitEqual(Sample.TruncatedNormal(key, n, -1.5f, 2f), TensorSample.OnDevice.TruncatedNormal(key, n, -1.5f, 2f, CPU));
        Assert.Equal(Sample.Bernoulli(key, n, 0.3f), TensorSample.OnDevice.Bernoulli(key, n, 0.3f, CPU).data<bool>().ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DevicePathChunksJoinInElementOrder(bool legacy)
    {
        // 600,001 elements span several 2^18-element CPU chunks in both layouts (legacy chunks over pairs).
        const int n = 600_001;
        using var scope = torch.NewDisposeScope();
        var key = Key(legacy);
        Assert.Equal(Sample.Bits(key, n), TensorSample.OnDevice.Bits(key, n, CPU).data<int>().ToArray().Select(x => unchecked((uint)x)));
        AssertBitEqual(Sample.Uniform(key, n, -1f, 3f), TensorSample.OnDevice.Uniform(key, n, -1f, 3f, CPU));
    }

    [Fact]
    public void TensorFmaIsRoundedOnce()
    {
        // Random triples, plus cases where a*b+c rounded to double lands exactly on a float32 midpoint:
        // a*b = 2^-24 + 2^-60 and c = 1 give 1 + 2^-24 in double, but the exact sum rounds up to 1 + 2^-23.
        var rng = new Random(11);
        var a = new List<float> { MathF.ScaleB(1f + MathF.ScaleB(1f, -12), -24), -MathF.ScaleB(1f + MathF.ScaleB(1f, -12), -24) };
        var b = new List<float> { 1f - MathF.ScaleB(1f, -12) + MathF.ScaleB(1f, -24), 1f - MathF.ScaleB(1f, -12) + MathF.ScaleB(1f, -24) };
        var c = new List<float> { 1f, -1f };
        for (int i = 0; i < 50_000; i++)
        {
            a.Add((float)((rng.NextDouble() - 0.5) * Math.Pow(2, rng.Next(-30, 30))));
            b.Add((float)((rng.NextDouble() - 0.5) * Math.Pow(2, rng.Next(-30, 30))));
            c.Add((float)((rng.NextDouble() - 0.5) * Math.Pow(2, rng.Next(-30, 30))));
        }

        using var scope = torch.NewDisposeScope();
        var got = TensorSample.OnDevice.Fma32(torch.tensor(a.ToArray()), torch.tensor(b.ToArray()), torch.tensor(c.ToArray())).data<float>().ToArray();
        for (int i = 0; i < got.Length; i++)
        {
            float want = MathF.FusedMultiplyAdd(a[i], b[i], c[i]);
            Assert.True(BitConverter.SingleToInt32Bits(want) == BitConverter.SingleToInt32Bits(got[i]), $"fma({a[i]:R}, {b[i]:R}, {c[i]:R}): want {want:R}, got {got[i]:R}");
        }

        Assert.Equal(1f + MathF.ScaleB(1f, -23), got[0]);
    }

    [Fact]
    public void TensorSqrtIsCorrectlyRounded()
    {
        var rng = new Random(12);
        var w = Enumerable.Range(0, 100_000).Select(_ => (float)(rng.NextDouble() * Math.Pow(2, rng.Next(-20, 20)))).Append(5.2898545f).Append(0f).ToArray();
        using var scope = torch.NewDisposeScope();
        var got = TensorSample.OnDevice.Sqrt32(torch.tensor(w)).data<float>().ToArray();
        for (int i = 0; i < w.Length; i++)
        {
            Assert.True(MathF.Sqrt(w[i]) == got[i], $"sqrt({w[i]:R}): want {MathF.Sqrt(w[i]):R}, got {got[i]:R}");
        }
    }

    [Fact]
    public void ArrayPathHasShapeDtypeAndValues()
    {
        using var scope = torch.NewDisposeScope();
        var key = PrngKey.FromSeed(0);
        var u = TensorSample.Uniform(key, [3, 4]);
        Assert.Equal(new long[] { 3, 4 }, u.shape);
        Assert.Equal(ScalarType.Float32, u.dtype);
        Assert.Equal(Sample.Uniform(key, 12), u.data<float>().ToArray());

        var bits = TensorSample.Bits(key, [2, 2]);
        Assert.Equal(ScalarType.Int32, bits.dtype);
        Assert.Equal(Sample.Bits(key, 4), bits.data<int>().ToArray().Select(x => unchecked((uint)x)));

        Assert.Equal(Sample.Normal(key, 6), TensorSample.Normal(key, [2, 3]).data<float>().ToArray());
        Assert.Equal(Sample.TruncatedNormal(key, 6, -2f, 2f), TensorSample.TruncatedNormal(key, [6], -2f, 2f).data<float>().ToArray());
        var bern = TensorSample.Bernoulli(key, [5, 1], 0.25f);
        Assert.Equal(ScalarType.Bool, bern.dtype);
        Assert.Equal(Sample.Bernoulli(key, 5, 0.25f), bern.data<bool>().ToArray());
    }

    [Fact]
    public void CpuNeverTakesTheDevicePath()
    {
        Assert.False(TensorSample.UseDevicePath(1L << 30, CPU));
        Assert.False(TensorSample.UseDevicePath(1L << 30, null));
        Assert.False(TensorSample.UseDevicePath(10, new Device(DeviceType.CUDA)));
        Assert.True(TensorSample.UseDevicePath(TensorSample.DevicePathThreshold, new Device(DeviceType.CUDA)));
    }

    [Fact]
    public void BadShapeNamesTheParameter()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => TensorSample.Normal(PrngKey.FromSeed(0), [2, -1]));
        Assert.Equal("shape", ex.ParamName);
        var ex2 = Assert.Throws<ArgumentOutOfRangeException>(() => TensorSample.Uniform(PrngKey.FromSeed(0), [2], 1f, 1f));
        Assert.Equal("minval", ex2.ParamName);
    }

    private static void AssertBitEqual(float[] want, Tensor got)
    {
        Assert.Equal(ScalarType.Float32, got.dtype);
        var g = got.data<float>().ToArray();
        Assert.Equal(want.Length, g.Length);
        for (int i = 0; i < want.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(want[i]) != BitConverter.SingleToInt32Bits(g[i]))
            {
                Assert.Fail($"element {i}: array path {want[i]:R}, tensor path {g[i]:R}");
            }
        }
    }
}
