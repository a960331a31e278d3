using Linen.Functional;
using Xunit;
using static TorchSharp.torch;
using Shapes = Linen.Functional.Shapes;

namespace Linen.Tests.Layers;

/// <summary>Comparisons of layer outputs with references, failing with the first differing cell.</summary>
internal static class LayerAssert
{
    /// <summary>Same shape, and every cell within <c>tolerance·(1 + |expected|)</c>.</summary>
    public static void Close(Nd expected, Tensor actual, double tolerance = 1e-4)
    {
        Assert.Equal(Shapes.Format(expected.Shape), Shapes.Format(actual.shape));
        var got = Nd.Of(actual);
        var index = 0;
        foreach (var cell in Nd.Indices(expected.Shape))
        {
            var (e, a) = (expected.Data[index], got.Data[index]);
            if (!(Math.Abs(e - a) <= tolerance * (1 + Math.Abs(e))) && !(float.IsInfinity(e) && e == a))
                Assert.Fail($"At ({string.Join(", ", cell)}): expected {e}, got {a}.");
            index++;
        }
    }

    /// <summary>Exactly these values and this shape.</summary>
    public static void Equal(float[] expected, long[] shape, Tensor actual)
    {
        Assert.Equal(Shapes.Format(shape), Shapes.Format(actual.shape));
        Assert.Equal(expected, Nd.Of(actual).Data);
    }

    /// <summary>Shows an int array as <c>[1, 2]</c> in case descriptions.</summary>
    public static string Show<T>(IEnumerable<T> values) => "[" + string.Join(", ", values) + "]";
}
