using Linen.Functional;
using Xunit;
using static TorchSharp.torch;

namespace Linen.Tests.Functional;

/// <summary>Bit-exact comparisons of trees: paths, dtypes, shapes and the raw bytes of every leaf.</summary>
internal static class TreeAssert
{
    /// <summary>Both trees have the same leaves at the same paths, bit for bit (NaN payloads included).</summary>
    public static void SameLeaves(ParamTree expected, ParamTree actual) => Assert.Equal(Describe(expected), Describe(actual));

    /// <summary>Same leaves, and the same subtrees, empty ones included.</summary>
    public static void SameTree(ParamTree expected, ParamTree actual)
    {
        Assert.Equal(expected.ToString(), actual.ToString());
        SameLeaves(expected, actual);
    }

    /// <summary>The raw little-endian bytes of a tensor's elements.</summary>
    public static byte[] Bytes(Tensor t) => t.numel() == 0 ? [] : t.contiguous().bytes.ToArray();

    private static List<string> Describe(ParamTree tree) =>
        tree.Flatten().Select(kv => $"{kv.Key}: {kv.Value.dtype}{Linen.Functional.Shapes.Format(kv.Value.shape)} {Convert.ToHexString(Bytes(kv.Value))}").ToList();
}
