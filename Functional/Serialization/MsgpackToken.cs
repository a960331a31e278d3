namespace Linen.Functional;

/// <summary>The kinds of msgpack object a header announces.</summary>
internal enum MsgpackKind { Nil, Bool, Int, Float32, Float64, Str, Bin, Array, Map, Ext }

/// <summary>
/// One decoded msgpack header: its kind, where it starts, and its value (integers, floats, booleans) or the length
/// of what follows it (bytes for str, bin and ext; entries for array and map).
/// </summary>
internal readonly record struct MsgpackToken(MsgpackKind Kind, long Offset, long Length = 0, long Int = 0, double Float = 0, sbyte ExtType = 0)
{
    /// <summary>The boolean value of a <see cref="MsgpackKind.Bool"/> token.</summary>
    public bool Bool => Int != 0;

    /// <summary>How error messages name this kind of object.</summary>
    public string Describe() => Kind switch
    {
        MsgpackKind.Nil => "nil",
        MsgpackKind.Bool => "a boolean",
        MsgpackKind.Int => "an integer",
        MsgpackKind.Float32 => "a float32",
        MsgpackKind.Float64 => "a float64",
        MsgpackKind.Str => "a string",
        MsgpackKind.Bin => "binary data",
        MsgpackKind.Array => $"an array of {Length} items",
        MsgpackKind.Map => $"a map of {Length} entries",
        _ => $"extension type {ExtType}",
    };
}
