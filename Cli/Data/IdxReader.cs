using System.Buffers.Binary;
using System.IO.Compression;

namespace Linen.Cli.Data;

/// <summary>
/// Reads IDX files (LeCun's MNIST format): a big-endian header <c>0x00 0x00 type ndim</c>, then <c>ndim</c>
/// int32 dimensions, then the row-major values. Only unsigned bytes (type <c>0x08</c>) occur in MNIST and
/// only those are read. Gzipped files (as distributed originally) are recognised by their magic bytes.
/// </summary>
internal static class IdxReader
{
    private const byte UnsignedByteType = 0x08;

    /// <summary>The whole content of <paramref name="path"/>, decompressed when it is gzipped.</summary>
    /// <exception cref="DataException">The file cannot be read or is not valid gzip.</exception>
    public static byte[] ReadContent(string path)
    {
        try
        {
            var raw = File.ReadAllBytes(path);
            if (raw.Length < 2 || raw[0] != 0x1f || raw[1] != 0x8b) return raw;
            using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
            using var content = new MemoryStream();
            gzip.CopyTo(content);
            return content.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new DataException($"{path}: not a valid gzip file ({e.Message}).");
        }
        catch (IOException e)
        {
            throw new DataException($"{path}: cannot read ({e.Message}).");
        }
    }

    /// <summary>Parses IDX <paramref name="content"/> read from <paramref name="path"/>, expecting <paramref name="rank"/> dimensions.</summary>
    /// <exception cref="IdxFormatException">Bad magic, another type or rank, or fewer values than the header announces.</exception>
    public static IdxArray Parse(string path, byte[] content, int rank)
    {
        var expectedMagic = (UnsignedByteType << 8) | rank;
        var headerSize = 4 + (4 * rank);
        if (content.Length < 4) throw new IdxFormatException(path, content.Length, $"truncated: {content.Length} bytes, shorter than the 4-byte magic");
        var magic = BinaryPrimitives.ReadInt32BigEndian(content);
        if (magic != expectedMagic)
            throw new IdxFormatException(path, 0, $"bad magic 0x{magic:X8}, expected 0x{expectedMagic:X8} (unsigned bytes, {rank} dimensions)");
        if (content.Length < headerSize)
            throw new IdxFormatException(path, content.Length, $"truncated: the header needs {headerSize} bytes, the file has {content.Length}");
        var shape = new int[rank];
        long count = 1;
        for (var i = 0; i < rank; i++)
        {
            shape[i] = BinaryPrimitives.ReadInt32BigEndian(content.AsSpan(4 + (4 * i)));
            if (shape[i] < 0) throw new IdxFormatException(path, 4 + (4 * i), $"negative dimension {shape[i]}");
            count *= shape[i];
        }
        var available = content.Length - headerSize;
        if (available < count)
            throw new IdxFormatException(path, content.Length,
                $"truncated: the header announces {count} values ({string.Join('×', shape)}), the file ends after {available}");
        if (available > count)
            throw new IdxFormatException(path, headerSize + count, $"{available - count} unexpected bytes after the {count} announced values");
        return new IdxArray(shape, content.AsSpan(headerSize).ToArray());
    }

    /// <summary>Reads and parses the IDX file at <paramref name="path"/> (raw or gzipped).</summary>
    /// <exception cref="DataException">The file cannot be read or is not a valid IDX file of that rank.</exception>
    public static IdxArray Read(string path, int rank) => Parse(path, ReadContent(path), rank);
}
