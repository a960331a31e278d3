using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Linen.Functional;

/// <summary>
/// The safetensors header (https://github.com/huggingface/safetensors): an 8-byte little-endian length, then that
/// many bytes of JSON mapping each tensor name to <c>{"dtype", "shape", "data_offsets"}</c>, plus an optional
/// <c>"__metadata__"</c> map of strings. Written as the reference Rust crate writes it: compact JSON, metadata first,
/// tensors in data order, padded with spaces to a multiple of 8 bytes.
/// </summary>
internal static class SafetensorsHeader
{
    /// <summary>The reference implementation's limit on the JSON length (<c>MAX_HEADER_SIZE</c>).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private const string MetadataKey = "__metadata__";
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The length prefix and JSON (padded) for <paramref name="entries"/>, given in data order.</summary>
    public static byte[] Encode(IReadOnlyList<SafetensorsEntry> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        var json = new StringBuilder("{");
        if (metadata is not null)
        {
            json.Append(Quote(MetadataKey)).Append(":{");
            json.AppendJoin(",", metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => Quote(kv.Key) + ":" + Quote(kv.Value)));
            json.Append('}');
            if (entries.Count > 0) json.Append(',');
        }
        json.AppendJoin(",", entries.Select(e => string.Create(CultureInfo.InvariantCulture,
            $"{Quote(e.Name)}:{{\"dtype\":\"{e.Dtype.SafetensorsName}\",\"shape\":[{string.Join(",", e.Shape)}],\"data_offsets\":[{e.Begin},{e.End}]}}")));
        json.Append('}');
        var text = Encoding.UTF8.GetBytes(json.ToString());
        var padded = (text.Length + 7) / 8 * 8;
        var result = new byte[8 + padded];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)padded);
        text.CopyTo(result, 8);
        result.AsSpan(8 + text.Length).Fill((byte)' ');
        return result;
    }

    /// <summary>
    /// Reads and validates the header at the start of <paramref name="stream"/> and leaves the stream at the data.
    /// Entries come back in data order; they tile the data section exactly (contiguous, no overlap, no gap, none
    /// past the end), and each has the byte length its dtype and shape need.
    /// </summary>
    /// <exception cref="CheckpointException">Names <paramref name="source"/>, the byte offset and the tensor.</exception>
    public static (IReadOnlyList<SafetensorsEntry> Entries, IReadOnlyDictionary<string, string> Metadata) Read(Stream stream, string source)
    {
        var length = stream.Length;
        if (length < 8) throw Corrupt(source, 0, $"the file has {length} bytes, fewer than the 8 of the header length");
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > MaxHeaderBytes)
            throw Corrupt(source, 0, $"the header length {headerLength} exceeds the format's limit of {MaxHeaderBytes} bytes");
        if ((long)headerLength > length - 8)
            throw Corrupt(source, 0, $"the header length {headerLength} runs past the end of the file ({length - 8} bytes follow it)");
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        var (entries, metadata) = Parse(header, source);
        var dataStart = 8 + (long)headerLength;
        long end = 0;
        foreach (var e in entries)
        {
            if (e.Begin != end || e.End < e.Begin)
                throw Corrupt(source, dataStart + e.Begin,
                    $"tensor '{e.Name}' has data_offsets [{e.Begin}, {e.End}], but the data before it ends at {end} (tensors must be contiguous and must not overlap)");
            var needed = ByteCount(e, source);
            if (e.End - e.Begin != needed)
                throw Corrupt(source, dataStart + e.Begin,
                    $"tensor '{e.Name}' ({e.Dtype.SafetensorsName} of shape {Shapes.Format(e.Shape)}) needs {needed} bytes, but its data_offsets [{e.Begin}, {e.End}] span {e.End - e.Begin}");
            end = e.End;
        }
        if (dataStart + end != length)
            throw Corrupt(source, dataStart + end, $"the tensors' data ends at byte {dataStart + end}, but the file has {length} bytes");
        return (entries, metadata);
    }

    private static (List<SafetensorsEntry>, Dictionary<string, string>) Parse(byte[] header, string source)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(StrictUtf8.GetString(header)); }
        catch (Exception e) when (e is JsonException or DecoderFallbackException)
        {
            throw new CheckpointException($"Cannot read {source} at byte offset 8: the header is not valid UTF-8 JSON ({e.Message}).", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Corrupt(source, 8, $"the header is a JSON {root.ValueKind}, not an object");
            var entries = new List<SafetensorsEntry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!names.Add(property.Name)) throw Corrupt(source, 8, $"the header names '{property.Name}' twice");
                if (property.Name == MetadataKey) ReadMetadata(property.Value, metadata, source);
                else entries.Add(ReadEntry(property.Name, property.Value, source));
            }
            return (entries.OrderBy(e => e.Begin).ThenBy(e => e.End).ToList(), metadata);
        }
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string source)
    {
        if (value.ValueKind != JsonValueKind.Object) throw Corrupt(source, 8, "__metadata__ must be an object of strings");
        foreach (var item in value.EnumerateObject())
            metadata[item.Name] = item.Value.ValueKind == JsonValueKind.String
                ? item.Value.GetString()!
                : throw Corrupt(source, 8, $"__metadata__ entry '{item.Name}' must be a string, found a JSON {item.Value.ValueKind}");
    }

    private static SafetensorsEntry ReadEntry(string name, JsonElement value, string source)
    {
        CheckpointException Bad(string problem) => Corrupt(source, 8, $"tensor '{name}': {problem}");
        if (value.ValueKind != JsonValueKind.Object) throw Bad("expected an object with dtype, shape and data_offsets");
        if (!value.TryGetProperty("dtype", out var dtypeValue) || dtypeValue.ValueKind != JsonValueKind.String)
            throw Bad("expected a string dtype");
        var code = dtypeValue.GetString()!;
        var dtype = StorageDtype.ForSafetensorsName(code)
            ?? throw Bad($"dtype '{code}' is not supported (supported: {StorageDtype.SafetensorsNames})");
        var shape = ReadIntegers(value, "shape", Bad);
        var offsets = ReadIntegers(value, "data_offsets", Bad);
        if (offsets.Length != 2) throw Bad($"data_offsets must hold 2 integers, found {offsets.Length}");
        return new SafetensorsEntry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] ReadIntegers(JsonElement value, string field, Func<string, CheckpointException> bad)
    {
        if (!value.TryGetProperty(field, out var array) || array.ValueKind != JsonValueKind.Array)
            throw bad($"expected {field} to be an array of non-negative integers");
        return array.EnumerateArray()
            .Select(item => item.ValueKind == JsonValueKind.Number && item.TryGetInt64(out var n) && n >= 0
                ? n
                : throw bad($"expected {field} to be an array of non-negative integers, found {item.GetRawText()}"))
            .ToArray();
    }

    private static long ByteCount(SafetensorsEntry e, string source)
    {
        try { return checked(e.Shape.Aggregate(1L, (n, d) => n * d) * e.Dtype.ItemSize); }
        catch (OverflowException) { throw Corrupt(source, 8, $"tensor '{e.Name}' has a shape {Shapes.Format(e.Shape)} too large to store"); }
    }

    private static CheckpointException Corrupt(string source, long offset, string problem) =>
        CheckpointException.Corrupt(source, offset, "", problem);

    // JSON string escaping as serde_json writes it: quotes, backslashes and control characters only.
    private static string Quote(string value)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in value)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return sb.Append('"').ToString();
    }
}
