using System.Numerics;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>Checks of labels before they reach native ops, whose errors would not name the offending entry.</summary>
internal static class Labels
{
    /// <summary>Throws unless <paramref name="labels"/> are integer class indices for <paramref name="logits"/> (…, classes).</summary>
    /// <exception cref="ArgumentException">Wrong dtype or shape, or a label outside <c>[0, classes)</c>; names the value and its position.</exception>
    internal static void RequireClassIndices(string caller, Tensor logits, Tensor labels)
    {
        RequireFloating(caller, logits, "logits");
        if (logits.dim() == 0)
            throw new ArgumentException($"{caller}: logits need a class axis; got a scalar.", nameof(logits));
        if (labels.is_floating_point() || labels.is_complex() || labels.dtype == ScalarType.Bool)
            throw new ArgumentException(
                $"{caller}: labels must be integer class indices; got {labels.dtype}. For one-hot or soft labels use SoftmaxCrossEntropy.", nameof(labels));
        var expected = Shapes.Of(logits)[..^1];
        if (!Shapes.Of(labels).SequenceEqual(expected))
            throw new ArgumentException(
                $"{caller}: labels of shape {Shapes.Format(labels.shape)} do not fit logits of shape {Shapes.Format(logits.shape)}; " +
                $"expected labels of shape {Shapes.Format(expected)}.", nameof(labels));
        RequireRange(caller, labels, 0, logits.shape[^1] - 1, $"a class index in [0, {logits.shape[^1]})");
    }

    /// <summary>Throws unless both tensors have the same shape.</summary>
    /// <exception cref="ArgumentException">Names both shapes.</exception>
    internal static void RequireSameShape(string caller, Tensor a, string aName, Tensor b, string bName)
    {
        if (!Shapes.Of(a).SequenceEqual(Shapes.Of(b)))
            throw new ArgumentException(
                $"{caller}: {bName} of shape {Shapes.Format(b.shape)} must have the shape of {aName}, {Shapes.Format(a.shape)}.", bName);
    }

    /// <summary>Throws unless <paramref name="t"/> has a floating-point dtype.</summary>
    internal static void RequireFloating(string caller, Tensor t, string name)
    {
        if (!t.is_floating_point())
            throw new ArgumentException($"{caller}: {name} must be floating-point; got {t.dtype}.", name);
    }

    /// <summary>Throws unless every entry lies in <c>[min, max]</c>; the message names the first offending value and position.</summary>
    internal static void RequireRange(string caller, Tensor values, double min, double max, string what)
    {
        if (values.numel() == 0 || WithinBounds(values, min, max)) return;
        using var scope = NewDisposeScope();
        var flat = values.flatten();
        var bad = flat.Lt(min).logical_or_(flat.Gt(max)).logical_or_(flat.isnan()).nonzero()[0, 0].ToInt64();
        var value = flat[bad].ToDouble();
        throw new ArgumentException(
            $"{caller}: label {value.ToString(System.Globalization.CultureInfo.InvariantCulture)} at position " +
            $"{Shapes.Format(Unravel(bad, values.shape))} is not {what}.", "labels");
    }

    /// <summary>
    /// Whether every value lies in [min, max] (false for NaN). Integer labels in CPU memory are read where they lie: inside
    /// a training step a small LibTorch op costs 30–80 µs (5–10 µs in a tight loop), and the <c>aminmax</c> and two scalar
    /// reads of the general path took ~40 of the ~230 µs of a LeNet step's loss at batch 128.
    /// </summary>
    private static bool WithinBounds(Tensor values, double min, double max)
    {
        if (values.device_type == DeviceType.CPU && values.is_contiguous())
        {
            if (values.dtype == ScalarType.Int64) return AllWithin(MemoryMarshal.Cast<byte, long>(values.bytes), (long)Math.Ceiling(min), (long)Math.Floor(max));
            if (values.dtype == ScalarType.Int32) return AllWithin(MemoryMarshal.Cast<byte, int>(values.bytes), (long)Math.Ceiling(min), (long)Math.Floor(max));
        }
        using var scope = NewDisposeScope();
        var (low, high) = values.aminmax();  // one pass over the values for both bounds
        return low.ToDouble() >= min && high.ToDouble() <= max;
    }

    private static bool AllWithin<T>(ReadOnlySpan<T> values, long min, long max) where T : struct, IBinaryInteger<T>
    {
        foreach (var v in values)
            if (long.CreateTruncating(v) is var x && (x < min || x > max)) return false;
        return true;
    }

    private static long[] Unravel(long index, long[] shape)
    {
        var position = new long[shape.Length];
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            position[i] = index % shape[i];
            index /= shape[i];
        }
        return position;
    }
}
