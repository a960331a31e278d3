namespace Linen.Functional;

/// <summary>The msgpack extension type codes of <c>flax.serialization._MsgpackExtType</c>.</summary>
internal static class FlaxExtType
{
    /// <summary>An array: the payload is msgpack <c>[shape, dtype name, row-major bytes]</c>.</summary>
    public const sbyte Ndarray = 1;

    /// <summary>A Python complex: the payload is msgpack <c>[real, imag]</c>.</summary>
    public const sbyte NativeComplex = 2;

    /// <summary>A NumPy scalar: the payload is that of a 0-d <see cref="Ndarray"/>.</summary>
    public const sbyte NpScalar = 3;

    /// <summary>The key that marks a map as one array split into chunks (<c>_chunk</c> in flax/serialization.py).</summary>
    public const string ChunkedArrayMarker = "__msgpack_chunked_array__";
}
