using FsCheck;
using FsCheck.Fluent;
using Linen.Prng;
using Xunit;
using static TorchSharp.torch;

namespace Linen.Tests.Layers;

/// <summary>Inputs from the JAX-exact PRNG (no torch seeding), value extraction and comparisons for layer tests.</summary>
internal static class LayerTestKit
{
    /// <summary>Standard-normal values of <paramref name="shape"/> drawn with key <paramref name="seed"/>.</summary>
    public static Tensor Normal(long seed, params long[] shape) =>
        tensor(Sample.Normal(PrngKey.FromSeed(seed), shape), shape);

    /// <summary>The tensor's values as float32, row-major.</summary>
    public static float[] Values(Tensor t) => t.detach().to_type(ScalarType.Float32).contiguous().data<float>().ToArray();

    /// <summary>Asserts elementwise closeness and names the first differing index.</summary>
    public static void AssertClose(float[] expected, Tensor actual, double tolerance)
    {
        var values = Values(actual);
        Assert.Equal(expected.Length, values.Length);
        for (var i = 0; i < values.Length; i++)
            Assert.True(Math.Abs(expected[i] - values[i]) <= tolerance * (1 + Math.Abs(expected[i])),
                $"index {i}: expected {expected[i]}, got {values[i]}");
    }

    /// <summary>Whether the values agree within <paramref name="tolerance"/> (relative to 1 + |expected|).</summary>
    public static bool Close(float[] expected, float[] actual, double tolerance) =>
        expected.Length == actual.Length && expected.Zip(actual).All(p => Math.Abs(p.First - p.Second) <= tolerance * (1 + Math.Abs(p.First)));

    /// <summary>Shapes of rank <paramref name="minRank"/>…<paramref name="maxRank"/> with sizes 1…<paramref name="maxDim"/>.</summary>
    public static Gen<long[]> ShapeGen(int minRank, int maxRank, int maxDim) =>
        from rank in Gen.Choose(minRank, maxRank)
        from dims in Gen.ArrayOf(Gen.Choose(1, maxDim), rank)
        select dims.Select(d => (long)d).ToArray();

    /// <summary>Row-major strides of a shape.</summary>
    public static long[] Strides(long[] shape)
    {
        var strides = new long[shape.Length];
        long stride = 1;
        for (var i = shape.Length - 1; i >= 0; i--) { strides[i] = stride; stride *= shape[i]; }
        return strides;
    }
}
