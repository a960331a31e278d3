using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>
/// Moves a tensor's raw little-endian, row-major element bytes to and from a stream, straight from and into the
/// tensor's memory, in pieces small enough for a <see cref="Span{T}"/>.
/// </summary>
internal static class TensorBytes
{
    private const long MaxPieceBytes = 1L << 30;

    /// <summary>The number of bytes the elements occupy.</summary>
    public static long Count(Tensor t) => t.numel() * t.element_size();

    /// <summary>Writes the elements of <paramref name="t"/> (any device or layout) to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, Tensor t)
    {
        if (Count(t) == 0) return;
        using var scope = NewDisposeScope();
        foreach (var piece in Pieces(t.detach().cpu().contiguous())) stream.Write(piece.bytes);
    }

    /// <summary>A new CPU tensor of the given shape and type whose elements are read from <paramref name="stream"/>.</summary>
    public static Tensor Read(Stream stream, long[] shape, ScalarType type)
    {
        var t = empty(shape, type);
        if (Count(t) == 0) return t;
        using var scope = NewDisposeScope();
        foreach (var piece in Pieces(t)) stream.ReadExactly(piece.bytes);
        return t;
    }

    // Consecutive 1-d views of a contiguous tensor; each view's bytes are a slice of the tensor's memory.
    private static IEnumerable<Tensor> Pieces(Tensor contiguous)
    {
        var flat = contiguous.view(-1);
        var count = flat.numel();
        var step = MaxPieceBytes / contiguous.element_size();
        for (long start = 0; start < count; start += step) yield return flat.narrow(0, start, Math.Min(step, count - start));
    }
}
