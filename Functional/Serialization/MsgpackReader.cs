using System.Buffers.Binary;
using System.Text;

namespace Linen.Functional;

/// <summary>
/// Reads msgpack headers from a seekable stream, one at a time, tracking the byte offset. Every declared length is
/// checked against the bytes that remain before anything is allocated, so a truncated or corrupt file fails with a
/// <see cref="CheckpointException"/> naming the offset instead of running out of memory or data.
/// </summary>
internal sealed class MsgpackReader(Stream stream, string source, Func<string> treePath)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The underlying stream, for payloads read straight into tensors.</summary>
    public Stream Stream => stream;

    /// <summary>The offset of the next byte.</summary>
    public long Position => stream.Position;

    /// <summary>The bytes left in the stream.</summary>
    public long Remaining => stream.Length - stream.Position;

    /// <summary>Reads the next header.</summary>
    public MsgpackToken Read()
    {
        var offset = Position;
        var marker = ReadByte("a msgpack header");
        var token = marker switch
        {
            <= 0x7f => new MsgpackToken(MsgpackKind.Int, offset, Int: marker),
            <= 0x8f => new MsgpackToken(MsgpackKind.Map, offset, Length: marker & 0x0f),
            <= 0x9f => new MsgpackToken(MsgpackKind.Array, offset, Length: marker & 0x0f),
            <= 0xbf => new MsgpackToken(MsgpackKind.Str, offset, Length: marker & 0x1f),
            0xc0 => new MsgpackToken(MsgpackKind.Nil, offset),
            0xc2 or 0xc3 => new MsgpackToken(MsgpackKind.Bool, offset, Int: marker & 1),
            0xc4 or 0xc5 or 0xc6 => new MsgpackToken(MsgpackKind.Bin, offset, Length: ReadLength(marker - 0xc4)),
            0xc7 or 0xc8 or 0xc9 => Ext(offset, ReadLength(marker - 0xc7)),
            0xca => new MsgpackToken(MsgpackKind.Float32, offset, Float: BitConverter.Int32BitsToSingle((int)ReadBigEndian(4))),
            0xcb => new MsgpackToken(MsgpackKind.Float64, offset, Float: BitConverter.Int64BitsToDouble((long)ReadBigEndian(8))),
            0xcc or 0xcd or 0xce => new MsgpackToken(MsgpackKind.Int, offset, Int: (long)ReadBigEndian(1 << (marker - 0xcc))),
            0xcf => new MsgpackToken(MsgpackKind.Int, offset, Int: ReadUInt64AsInt64(offset)),
            0xd0 => new MsgpackToken(MsgpackKind.Int, offset, Int: (sbyte)ReadBigEndian(1)),
            0xd1 => new MsgpackToken(MsgpackKind.Int, offset, Int: (short)ReadBigEndian(2)),
            0xd2 => new MsgpackToken(MsgpackKind.Int, offset, Int: (int)ReadBigEndian(4)),
            0xd3 => new MsgpackToken(MsgpackKind.Int, offset, Int: (long)ReadBigEndian(8)),
            >= 0xd4 and <= 0xd8 => Ext(offset, 1L << (marker - 0xd4)),
            0xd9 or 0xda or 0xdb => new MsgpackToken(MsgpackKind.Str, offset, Length: ReadLength(marker - 0xd9)),
            0xdc or 0xdd => new MsgpackToken(MsgpackKind.Array, offset, Length: ReadLength(marker - 0xdc + 1)),
            0xde or 0xdf => new MsgpackToken(MsgpackKind.Map, offset, Length: ReadLength(marker - 0xde + 1)),
            >= 0xe0 => new MsgpackToken(MsgpackKind.Int, offset, Int: (sbyte)marker),
            _ => throw Corrupt(offset, $"byte 0x{marker:x2} is not a msgpack header"),
        };
        CheckFits(token);
        return token;
    }

    /// <summary>Reads a string payload of <paramref name="length"/> bytes, which must be valid UTF-8.</summary>
    public string ReadUtf8(long length)
    {
        var offset = Position;
        var bytes = new byte[length];
        stream.ReadExactly(bytes);
        try { return StrictUtf8.GetString(bytes); }
        catch (DecoderFallbackException) { throw Corrupt(offset, "a string is not valid UTF-8"); }
    }

    /// <summary>An error at <paramref name="offset"/>, naming the source and the current tree path.</summary>
    public CheckpointException Corrupt(long offset, string problem) => CheckpointException.Corrupt(source, offset, treePath(), problem);

    private MsgpackToken Ext(long offset, long length)
    {
        var type = (sbyte)ReadByte("an extension type");
        return new MsgpackToken(MsgpackKind.Ext, offset, Length: length, ExtType: type);
    }

    // Lengths of 1, 2 or 4 bytes (sizeLog2 = 0, 1, 2), as the 8/16/32-bit forms of str, bin, ext, array and map use.
    private long ReadLength(int sizeLog2) => (long)ReadBigEndian(1 << sizeLog2);

    private long ReadUInt64AsInt64(long offset)
    {
        var value = ReadBigEndian(8);
        return value <= long.MaxValue
            ? (long)value
            : throw Corrupt(offset, $"the integer {value} does not fit int64, the widest integer type Linen stores");
    }

    private void CheckFits(MsgpackToken token)
    {
        // Each array item takes at least one byte and each map entry two, so larger counts cannot be genuine.
        var needed = token.Kind switch
        {
            MsgpackKind.Str or MsgpackKind.Bin or MsgpackKind.Ext => token.Length,
            MsgpackKind.Array => token.Length,
            MsgpackKind.Map => 2 * token.Length,
            _ => 0,
        };
        if (needed > Remaining)
            throw Corrupt(token.Offset, $"{token.Describe()} needs at least {needed} more bytes, but the data ends after {Remaining}");
    }

    private byte ReadByte(string what)
    {
        var value = stream.ReadByte();
        return value >= 0 ? (byte)value : throw Corrupt(Position, $"the data ends where {what} was expected");
    }

    private ulong ReadBigEndian(int size)
    {
        if (Remaining < size)
            throw Corrupt(Position, $"the data ends after {Remaining} of the {size} bytes of a header's value");
        Span<byte> buffer = stackalloc byte[8];
        buffer.Clear();
        stream.ReadExactly(buffer[(8 - size)..]);
        return BinaryPrimitives.ReadUInt64BigEndian(buffer);
    }
}
