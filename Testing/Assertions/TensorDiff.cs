using System.Globalization;
using Linen.Functional;
using static TorchSharp.torch;

namespace Linen.Testing;

/// <summary>Where two tensors or trees first differ, in words for a failure message.</summary>
internal static class TensorDiff
{
    /// <summary>Null when the tensors have the same dtype, shape and bits; otherwise the first difference.</summary>
    public static string? FirstBitDifference(Tensor first, Tensor second, string firstName, string secondName)
    {
        if (first.dtype != second.dtype) return $"dtype {first.dtype} {firstName}, {second.dtype} {secondName}";
        if (!first.shape.SequenceEqual(second.shape))
            return $"shape {Shapes.Format(first.shape)} {firstName}, {Shapes.Format(second.shape)} {secondName}";
        using var scope = NewDisposeScope();
        var a = first.detach().cpu().contiguous();
        var b = second.detach().cpu().contiguous();
        var at = a.bytes.CommonPrefixLength(b.bytes);
        if (at == a.bytes.Length) return null;
        var element = at / a.ElementSize;
        return $"at index {Index(a.shape, element)}: {Element(a, element)} {firstName}, {Element(b, element)} {secondName}";
    }

    /// <summary>Null when the trees have the same paths, dtypes, shapes and bits; otherwise the first differing leaf.</summary>
    public static string? FirstBitDifference(ParamTree first, ParamTree second, string firstName, string secondName)
    {
        var structure = FirstStructureDifference(first, second, firstName, secondName);
        if (structure is not null) return structure;
        foreach (var (path, leaf) in first.Flatten())
        {
            var difference = FirstBitDifference(leaf, second[path], firstName, secondName);
            if (difference is not null) return $"'{path}' {difference}";
        }
        return null;
    }

    /// <summary>Null when the trees have the same paths and leaf shapes; otherwise the first difference.</summary>
    public static string? FirstStructureDifference(ParamTree first, ParamTree second, string firstName, string secondName)
    {
        var a = first.Flatten().ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        var b = second.Flatten().ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        foreach (var path in a.Keys.Union(b.Keys).Order(StringComparer.Ordinal))
        {
            if (!b.TryGetValue(path, out var y)) return $"'{path}' exists {firstName} but not {secondName}";
            if (!a.TryGetValue(path, out var x)) return $"'{path}' exists {secondName} but not {firstName}";
            if (!x.shape.SequenceEqual(y.shape))
                return $"'{path}' has shape {Shapes.Format(x.shape)} {firstName} but {Shapes.Format(y.shape)} {secondName}";
        }
        return null;
    }

    /// <summary>A flat row-major position as a multi-index: <c>[1, 0]</c>.</summary>
    public static string Index(long[] shape, long flat)
    {
        var index = new long[shape.Length];
        for (int axis = shape.Length - 1; axis >= 0; axis--)
        {
            index[axis] = flat % shape[axis];
            flat /= shape[axis];
        }
        return "[" + string.Join(", ", index) + "]";
    }

    /// <summary>One element in its own precision (float32 printed as float32, not widened).</summary>
    public static string Element(Tensor t, long flat)
    {
        using var scope = NewDisposeScope();
        var e = t.flatten()[flat];
        return t.dtype switch
        {
            ScalarType.Float32 => e.item<float>().ToString(CultureInfo.InvariantCulture),
            ScalarType.Bool => e.item<bool>().ToString(),
            _ => e.to_type(ScalarType.Float64).item<double>().ToString(CultureInfo.InvariantCulture),
        };
    }
}
