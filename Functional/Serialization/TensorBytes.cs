using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>Moves a tensor's raw little-endian, row-major element bytes to and from a stream.</summary>
internal static class TensorBytes
{
    private const int MaxBufferBytes = 1 << 20;

    /// <summary>The number of bytes the elements occupy.</summary>
    public static long Count(Tensor t) => t.numel() * t.element_size();

    /// <summary>Writes the elements of <paramref name="t"/> (any device or layout) to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, Tensor t)
    {
        var bytes = Count(t);
        if (bytes == 0) return;
        using var scope = NewDisposeScope();
        t.detach().cpu().contiguous().WriteBytesToStream(stream, BufferSize(bytes));
    }

    /// <summary>A new CPU tensor of the given shape and type whose elements are read from <paramref name="stream"/>.</summary>
    public static Tensor Read(Stream stream, long[] shape, ScalarType type)
    {
        var t = empty(shape, type);
        var bytes = Count(t);
        if (bytes > 0) t.ReadBytesFromStream(stream, BufferSize(bytes));
        return t;
    }

    private static int BufferSize(long bytes) => (int)Math.Min(bytes, MaxBufferBytes);
}
