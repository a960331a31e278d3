using System.Buffers.Binary;
using System.Text;

namespace Linen.Functional;

/// <summary>
/// Writes msgpack (https://github.com/msgpack/msgpack/blob/master/spec.md) with the encodings msgpack-python's
/// <c>packb(use_bin_type=True)</c> picks: the shortest header for every length and integer, <c>str8</c> allowed,
/// and the fixext forms for extension payloads of 1, 2, 4, 8 or 16 bytes.
/// </summary>
internal sealed class MsgpackWriter(Stream stream)
{
    /// <summary>The underlying stream, for payloads written straight from tensors.</summary>
    public Stream Stream => stream;

    /// <summary>A map of <paramref name="count"/> key/value pairs follows.</summary>
    public void WriteMapHeader(long count) => WriteContainerHeader(count, 0x80, 16, 0xde, 0xdf);

    /// <summary>An array of <paramref name="count"/> values follows.</summary>
    public void WriteArrayHeader(long count) => WriteContainerHeader(count, 0x90, 16, 0xdc, 0xdd);

    /// <summary>A UTF-8 string.</summary>
    public void WriteString(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        if (bytes.Length < 32) stream.WriteByte((byte)(0xa0 | bytes.Length));
        else WriteLengthHeader(bytes.Length, 0xd9, 0xda, 0xdb);
        stream.Write(bytes);
    }

    /// <summary>A bin header: <paramref name="length"/> raw bytes follow.</summary>
    public void WriteBinHeader(long length) => WriteLengthHeader(length, 0xc4, 0xc5, 0xc6);

    /// <summary>An extension header: a payload of <paramref name="length"/> bytes of type <paramref name="type"/> follows.</summary>
    public void WriteExtHeader(sbyte type, long length)
    {
        switch (length)
        {
            case 1: stream.WriteByte(0xd4); break;
            case 2: stream.WriteByte(0xd5); break;
            case 4: stream.WriteByte(0xd6); break;
            case 8: stream.WriteByte(0xd7); break;
            case 16: stream.WriteByte(0xd8); break;
            default: WriteLengthHeader(length, 0xc7, 0xc8, 0xc9); break;
        }
        stream.WriteByte((byte)type);
    }

    /// <summary>An integer in the shortest form: fixint, then unsigned forms for non-negative values, signed ones for negative.</summary>
    public void WriteInt(long value)
    {
        if (value >= 0)
        {
            if (value < 0x80) stream.WriteByte((byte)value);
            else if (value <= byte.MaxValue) { stream.WriteByte(0xcc); stream.WriteByte((byte)value); }
            else if (value <= ushort.MaxValue) WriteBigEndian(0xcd, (ushort)value, 2);
            else if (value <= uint.MaxValue) WriteBigEndian(0xce, (ulong)value, 4);
            else WriteBigEndian(0xcf, (ulong)value, 8);
        }
        else if (value >= -32) stream.WriteByte((byte)(sbyte)value);
        else if (value >= sbyte.MinValue) { stream.WriteByte(0xd0); stream.WriteByte((byte)(sbyte)value); }
        else if (value >= short.MinValue) WriteBigEndian(0xd1, (ushort)(short)value, 2);
        else if (value >= int.MinValue) WriteBigEndian(0xd2, (uint)(int)value, 4);
        else WriteBigEndian(0xd3, (ulong)value, 8);
    }

    /// <summary>A boolean.</summary>
    public void WriteBool(bool value) => stream.WriteByte(value ? (byte)0xc3 : (byte)0xc2);

    /// <summary>Raw bytes, such as a bin or extension payload.</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes) => stream.Write(bytes);

    private void WriteContainerHeader(long count, byte fixMarker, int fixLimit, byte marker16, byte marker32)
    {
        if (count < fixLimit) stream.WriteByte((byte)(fixMarker | count));
        else if (count <= ushort.MaxValue) WriteBigEndian(marker16, (ulong)count, 2);
        else WriteBigEndian(marker32, CheckedUInt32(count), 4);
    }

    private void WriteLengthHeader(long length, byte marker8, byte marker16, byte marker32)
    {
        if (length <= byte.MaxValue) { stream.WriteByte(marker8); stream.WriteByte((byte)length); }
        else if (length <= ushort.MaxValue) WriteBigEndian(marker16, (ulong)length, 2);
        else WriteBigEndian(marker32, CheckedUInt32(length), 4);
    }

    private static ulong CheckedUInt32(long length) => length <= uint.MaxValue
        ? (ulong)length
        : throw new CheckpointException($"A msgpack object of {length} bytes or entries exceeds the format's limit of 2^32 - 1.");

    private void WriteBigEndian(byte marker, ulong value, int size)
    {
        Span<byte> buffer = stackalloc byte[9];
        buffer[0] = marker;
        BinaryPrimitives.WriteUInt64BigEndian(buffer[1..], value << (8 * (8 - size)));
        stream.Write(buffer[..(1 + size)]);
    }
}
