using FsCheck;
using FsCheck.Fluent;
using Linen.Functional;
using Linen.Prng;
using Xunit;
using static TorchSharp.torch;
using Shapes = Linen.Functional.Shapes;

namespace Linen.Tests.Layers;

/// <summary>Inputs from the JAX-exact PRNG (no torch seeding), value extraction and comparisons for the layer tests.</summary>
internal static class TestValues
{
    /// <summary>Standard-normal values of <paramref name="shape"/> drawn with key <paramref name="seed"/>.</summary>
    public static Tensor Normal(long seed, params long[] shape) =>
        tensor(Sample.Normal(PrngKey.FromSeed(seed), shape), shape);

    /// <summary>Parameters replaced by normal draws (around 1 for a <c>scale</c>), so that scale and bias matter in a comparison.</summary>
    public static Variables Perturbed(Variables variables, long seed) =>
        Variables.FromParams(variables.Params.MapWithPath((path, t) => Normal(seed + path.Length, t.shape).Add(path.EndsWith("scale") ? 1 : 0)));

    /// <summary>The tensor's values as float32, row-major.</summary>
    public static float[] Values(Tensor t) => t.detach().to_type(ScalarType.Float32).contiguous().data<float>().ToArray();

    /// <summary>Whether every value is within <c>tolerance·(1 + |expected|)</c>, or both are the same infinity.</summary>
    public static bool Close(float[] expected, float[] actual, double tolerance) =>
        expected.Length == actual.Length && expected.Zip(actual).All(p => Near(p.First, p.Second, tolerance));

    /// <summary>Asserts <see cref="Close(float[], float[], double)"/> elementwise and names the first differing index.</summary>
    public static void AssertClose(float[] expected, Tensor actual, double tolerance)
    {
        var values = Values(actual);
        Assert.Equal(expected.Length, values.Length);
        for (var i = 0; i < values.Length; i++)
            Assert.True(Near(expected[i], values[i], tolerance), $"index {i}: expected {expected[i]}, got {values[i]}");
    }

    /// <summary>The same shape, and every cell within <c>tolerance·(1 + |expected|)</c>; names the first differing cell.</summary>
    public static void AssertClose(Nd expected, Tensor actual, double tolerance = 1e-4)
    {
        Assert.Equal(Shapes.Format(expected.Shape), Shapes.Format(actual.shape));
        var got = Values(actual);
        var index = 0;
        foreach (var cell in Nd.Indices(expected.Shape))
        {
            if (!Near(expected.Data[index], got[index], tolerance))
                Assert.Fail($"At ({string.Join(", ", cell)}): expected {expected.Data[index]}, got {got[index]}.");
            index++;
        }
    }

    /// <summary>Exactly these values and this shape.</summary>
    public static void AssertEqual(float[] expected, long[] shape, Tensor actual)
    {
        Assert.Equal(Shapes.Format(shape), Shapes.Format(actual.shape));
        Assert.Equal(expected, Values(actual));
    }

    /// <summary>Shapes of rank <paramref name="minRank"/>…<paramref name="maxRank"/> with sizes 1…<paramref name="maxDim"/>.</summary>
    public static Gen<long[]> ShapeGen(int minRank, int maxRank, int maxDim) =>
        from rank in Gen.Choose(minRank, maxRank)
        from dims in Gen.ArrayOf(Gen.Choose(1, maxDim), rank)
        select dims.Select(d => (long)d).ToArray();

    /// <summary>Shows values as <c>[1, 2]</c> in case descriptions.</summary>
    public static string Show<T>(IEnumerable<T> values) => "[" + string.Join(", ", values) + "]";

    private static bool Near(float expected, float actual, double tolerance) =>
        Math.Abs(expected - actual) <= tolerance * (1 + Math.Abs(expected)) || (float.IsInfinity(expected) && expected == actual);
}
