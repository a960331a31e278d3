using System.Buffers.Binary;
using System.IO.Compression;

namespace Linen.Tests.Cli;

/// <summary>Writes small IDX files for the reader tests.</summary>
internal static class IdxFiles
{
    /// <summary>The bytes of an IDX file: magic, big-endian dimensions, values.</summary>
    public static byte[] Bytes(int magic, int[] dims, byte[] values)
    {
        var header = new byte[4 + (4 * dims.Length)];
        BinaryPrimitives.WriteInt32BigEndian(header, magic);
        for (var i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + (4 * i)), dims[i]);
        return [.. header, .. values];
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/>, gzipped when asked.</summary>
    public static string Write(string path, byte[] content, bool gzip = false)
    {
        if (!gzip)
        {
            File.WriteAllBytes(path, content);
            return path;
        }
        using (var file = File.Create(path))
        using (var stream = new GZipStream(file, CompressionLevel.Fastest))
            stream.Write(content);
        return path;
    }
}
