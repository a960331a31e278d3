namespace Linen.Prng;

/// <summary>Argument checks shared by the samplers and initializers.</summary>
internal static class ShapeArguments
{
    /// <summary>The element count of a row-major shape; every dimension must be non-negative and the product must fit an array.</summary>
    internal static int Count(long[] shape, string paramName)
    {
        ArgumentNullException.ThrowIfNull(shape, paramName);
        long n = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] < 0)
            {
                throw new ArgumentOutOfRangeException(
                    paramName, shape[i], $"Shape [{string.Join(", ", shape)}] has negative dimension {shape[i]} at axis {i}.");
            }

            n = shape[i] == 0 ? 0 : (n > Array.MaxLength / shape[i] ? long.MaxValue : n * shape[i]);
        }

        if (n > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(
                paramName, $"Shape [{string.Join(", ", shape)}] has more elements than an array can hold ({Array.MaxLength}).");
        }

        return (int)n;
    }

    /// <summary>Checks that a count is non-negative.</summary>
    internal static void CheckCount(int count, string paramName)
    {
        if (count < 0)
        {
            throw new ArgumentOutOfRangeException(paramName, count, $"{paramName} must be >= 0, but {paramName} = {count}.");
        }
    }
}
