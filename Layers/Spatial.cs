using Linen.Functional;
using static TorchSharp.torch;

namespace Linen.Layers;

/// <summary>Flax's handling of channels-last inputs <c>(…batch, …spatial, features)</c> shared by convolutions and pooling.</summary>
internal static class Spatial
{
    /// <summary>LibTorch's convolution and pooling kernels cover 1 to 3 spatial dims.</summary>
    public const int MaxRank = 3;

    /// <summary>
    /// The input with its batch dims flattened into one (one added when there is none, as Flax does for single examples),
    /// and the function that restores them on an output; null when the input has fewer than <c>rank + 1</c> dims.
    /// </summary>
    public static (Tensor Batched, Func<Tensor, Tensor> Restore)? FlattenBatch(Tensor input, int rank)
    {
        if (input.ndim < rank + 1) return null;
        if (input.ndim == rank + 2) return (input, Unchanged);  // one batch dim already: two reshapes (and their backward) saved
        var shape = Shapes.Of(input);
        var batch = shape[..^(rank + 1)];
        var batched = input.reshape([Shapes.Numel(batch), .. shape[^(rank + 1)..]]);
        return (batched, y => y.reshape([.. batch, .. Shapes.Of(y)[1..]]));
    }

    private static readonly Func<Tensor, Tensor> Unchanged = y => y;

    /// <summary>What <see cref="FlattenBatch"/> expects, for error messages.</summary>
    public static string Expectation(int rank, string window) =>
        $"expected an input of rank at least {rank + 1} (batch…, {rank} spatial dims, features) for a {rank}-D {window}";

    /// <summary>Flax's <c>maybe_broadcast</c>: null → all 1, one value → repeated, else one value per spatial dim.</summary>
    /// <exception cref="ArgumentException">Another length, or a value below 1.</exception>
    public static long[] Broadcast(int[]? values, int rank, string name)
    {
        long[] result = values switch
        {
            null => [.. Enumerable.Repeat(1L, rank)],
            [var single] => [.. Enumerable.Repeat((long)single, rank)],
            _ when values.Length == rank => [.. values.Select(v => (long)v)],
            _ => throw new ArgumentException($"{name} has {values.Length} values for {rank} spatial dims; give one or {rank}.", name),
        };
        if (result.Any(v => v < 1)) throw new ArgumentException($"{name} must be at least 1, got ({string.Join(", ", values!)}).", name);
        return result;
    }

    /// <summary>Throws unless the spatial rank is one LibTorch supports.</summary>
    /// <exception cref="ArgumentException">Fewer than 1 or more than <see cref="MaxRank"/> spatial dims.</exception>
    public static void RequireSupportedRank(int rank, string name)
    {
        if (rank is < 1 or > MaxRank)
            throw new ArgumentException($"{name} has {rank} dims; Linen supports 1 to {MaxRank} spatial dims.", name);
    }
}
