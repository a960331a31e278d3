namespace Linen.Functional;

/// <summary>Shape helpers shared by error messages and checks.</summary>
public static class Shapes
{
    /// <summary>Formats a shape as Flax prints it: <c>(2, 3)</c>.</summary>
    public static string Format(ReadOnlySpan<long> shape) =>
        shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape.ToArray()) + ")";

    /// <summary>The number of elements of a shape.</summary>
    public static long Numel(ReadOnlySpan<long> shape)
    {
        long n = 1;
        foreach (var d in shape) n *= d;
        return n;
    }
}
