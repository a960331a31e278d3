using System.Numerics;
using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>
/// Decodes what <c>flax.serialization.msgpack_restore</c> reads: a msgpack map of string keys whose values are maps,
/// arrays (extension type 1), NumPy scalars (type 3), Python complex numbers (type 2) or plain numbers and booleans,
/// with chunked arrays (<c>__msgpack_chunked_array__</c>) joined back together. Numbers become 0-d tensors: integers
/// int64, floats float64 (float32 when stored as such), as <c>np.asarray</c> would make them.
/// </summary>
internal sealed class FlaxStateDecoder
{
    // Deep enough for any model; shallow enough that a crafted file of nested maps cannot overflow the stack.
    private const int MaxDepth = 512;

    private readonly List<string> _path = [];
    private readonly MsgpackReader _reader;

    private FlaxStateDecoder(Stream stream, string source) =>
        _reader = new MsgpackReader(stream, source, () => string.Join('/', _path));

    /// <summary>Decodes one state dict that spans the rest of <paramref name="stream"/> (seekable).</summary>
    /// <param name="stream">The data, positioned at the top-level map.</param>
    /// <param name="source">How messages name the data, e.g. <c>'model.msgpack'</c>.</param>
    /// <exception cref="CheckpointException">The data is truncated, corrupt, or holds something a tree cannot.</exception>
    public static ParamTree Decode(Stream stream, string source)
    {
        using var scope = NewDisposeScope();
        var decoder = new FlaxStateDecoder(stream, source);
        var reader = decoder._reader;
        var top = reader.Read();
        if (top.Kind != MsgpackKind.Map)
            throw reader.Corrupt(top.Offset, $"expected a map at the top level (a state dict), found {top.Describe()}");
        if (decoder.ReadMap(top, 0) is not ParamTree tree)
            throw reader.Corrupt(top.Offset, "the top level is a single chunked array, not a state dict");
        if (reader.Remaining > 0)
            throw reader.Corrupt(reader.Position, $"the top-level map ends here, but {reader.Remaining} more bytes follow");
        scope.MoveToOuter(tree.Leaves);
        return tree;
    }

    private object ReadValue(int depth)
    {
        var token = _reader.Read();
        return token.Kind switch
        {
            MsgpackKind.Map => ReadMap(token, depth),
            MsgpackKind.Ext => ReadExt(token),
            MsgpackKind.Int => tensor(token.Int, ScalarType.Int64),
            MsgpackKind.Float32 => tensor((float)token.Float),
            MsgpackKind.Float64 => tensor(token.Float, ScalarType.Float64),
            MsgpackKind.Bool => tensor(token.Bool),
            _ => throw _reader.Corrupt(token.Offset, $"expected a map, an array or a number, found {token.Describe()}"),
        };
    }

    private object ReadMap(MsgpackToken map, int depth)
    {
        if (depth >= MaxDepth) throw _reader.Corrupt(map.Offset, $"maps nest deeper than {MaxDepth} levels");
        var entries = new List<KeyValuePair<string, object>>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (long i = 0; i < map.Length; i++)
        {
            var key = ReadKey(keys);
            _path.Add(key);
            entries.Add(new(key, ReadValue(depth + 1)));
            _path.RemoveAt(_path.Count - 1);
        }
        if (keys.Contains(FlaxExtType.ChunkedArrayMarker)) return Unchunk(entries, map.Offset);
        return entries.Aggregate(ParamTree.Empty, (tree, e) =>
            e.Value is Tensor leaf ? tree.SetItem(e.Key, leaf) : tree.SetItem(e.Key, (ParamTree)e.Value));
    }

    private string ReadKey(HashSet<string> seen)
    {
        var token = _reader.Read();
        if (token.Kind != MsgpackKind.Str)
            throw _reader.Corrupt(token.Offset, $"map keys must be strings, found {token.Describe()}");
        var key = _reader.ReadUtf8(token.Length);
        if (key.Length == 0 || key.Contains('/'))
            throw _reader.Corrupt(token.Offset, $"the key '{key}' cannot name a tree entry (keys must be non-empty and contain no '/')");
        if (!seen.Add(key)) throw _reader.Corrupt(token.Offset, $"the key '{key}' appears twice in one map");
        return key;
    }

    private Tensor ReadExt(MsgpackToken ext) => ext.ExtType switch
    {
        FlaxExtType.Ndarray or FlaxExtType.NpScalar => ReadNdarray(ext),
        FlaxExtType.NativeComplex => ReadComplex(ext),
        _ => throw _reader.Corrupt(ext.Offset,
            $"extension type {ext.ExtType} is not one Flax writes (1 array, 2 complex number, 3 NumPy scalar)"),
    };

    // The payload is msgpack [shape, dtype name, bytes]; the bytes go straight from the stream into the tensor.
    private Tensor ReadNdarray(MsgpackToken ext)
    {
        var start = _reader.Position;
        var tuple = _reader.Read();
        if (tuple.Kind != MsgpackKind.Array || tuple.Length != 3)
            throw _reader.Corrupt(tuple.Offset, $"an array payload must be [shape, dtype, bytes], found {tuple.Describe()}");
        var shape = ReadShape();
        var (dtype, name) = ReadDtype();
        var data = _reader.Read();
        if (data.Kind != MsgpackKind.Bin)
            throw _reader.Corrupt(data.Offset, $"an array's elements must be binary data, found {data.Describe()}");
        var expected = ByteCount(shape, dtype, data.Offset);
        if (data.Length != expected)
            throw _reader.Corrupt(data.Offset, $"a {name} array of shape {Shapes.Format(shape)} needs {expected} bytes, found {data.Length}");
        var payload = _reader.Position - start + data.Length;
        if (payload != ext.Length)
            throw _reader.Corrupt(ext.Offset, $"the array's extension header declares {ext.Length} bytes, but its contents take {payload}");
        var elementsStart = _reader.Position;
        var result = TensorBytes.Read(_reader.Stream, shape, dtype.ScalarType);
        if (dtype.ScalarType == ScalarType.Bool && expected > 0 && result.bytes.IndexOfAnyExcept((byte)0, (byte)1) is var bad and >= 0)
            throw _reader.Corrupt(elementsStart + bad, $"a bool array holds the byte {result.bytes[bad]} (only 0 and 1 are booleans)");
        return result;
    }

    private long[] ReadShape()
    {
        var array = _reader.Read();
        if (array.Kind != MsgpackKind.Array)
            throw _reader.Corrupt(array.Offset, $"an array's shape must be an array of integers, found {array.Describe()}");
        var shape = new long[array.Length];
        for (var i = 0; i < shape.Length; i++)
        {
            var dim = _reader.Read();
            if (dim.Kind != MsgpackKind.Int || dim.Int < 0)
                throw _reader.Corrupt(dim.Offset, $"shape entries must be non-negative integers, found {(dim.Kind == MsgpackKind.Int ? dim.Int : dim.Describe())}");
            shape[i] = dim.Int;
        }
        return shape;
    }

    // Flax reads the payload with raw=True, so the dtype name may be stored as str or as bin.
    private (StorageDtype Dtype, string Name) ReadDtype()
    {
        var token = _reader.Read();
        if (token.Kind is not (MsgpackKind.Str or MsgpackKind.Bin))
            throw _reader.Corrupt(token.Offset, $"an array's dtype must be a name, found {token.Describe()}");
        var name = _reader.ReadUtf8(token.Length);
        var dtype = StorageDtype.ForNumpyName(name)
            ?? throw _reader.Corrupt(token.Offset, $"dtype '{name}' is not supported (supported: {StorageDtype.NumpyNames})");
        return (dtype, name);
    }

    private long ByteCount(long[] shape, StorageDtype dtype, long offset)
    {
        try { return checked(shape.Aggregate(1L, (n, d) => n * d) * dtype.ItemSize); }
        catch (OverflowException) { throw _reader.Corrupt(offset, $"the shape {Shapes.Format(shape)} is too large"); }
    }

    private Tensor ReadComplex(MsgpackToken ext)
    {
        var start = _reader.Position;
        var pair = _reader.Read();
        if (pair.Kind != MsgpackKind.Array || pair.Length != 2)
            throw _reader.Corrupt(pair.Offset, $"a complex number must be [real, imag], found {pair.Describe()}");
        var (real, imag) = (ReadReal(), ReadReal());
        if (_reader.Position - start != ext.Length)
            throw _reader.Corrupt(ext.Offset, $"the complex number's extension header declares {ext.Length} bytes, but its contents take {_reader.Position - start}");
        return tensor(new Complex(real, imag), ScalarType.ComplexFloat64);
    }

    private double ReadReal()
    {
        var token = _reader.Read();
        return token.Kind switch
        {
            MsgpackKind.Float64 or MsgpackKind.Float32 => token.Float,
            MsgpackKind.Int => token.Int,
            _ => throw _reader.Corrupt(token.Offset, $"a complex number's parts must be numbers, found {token.Describe()}"),
        };
    }

    // flax.serialization._unchunk: {'__msgpack_chunked_array__': True, 'shape': {'0': d0, ...}, 'chunks': {'0': flat, ...}}.
    private Tensor Unchunk(List<KeyValuePair<string, object>> entries, long offset)
    {
        var fields = entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        var shape = Sequence(fields, "shape", offset)
            .Select(d => d is Tensor { dtype: ScalarType.Int64 } t && t.dim() == 0 && t.item<long>() >= 0
                ? t.item<long>()
                : throw _reader.Corrupt(offset, "a chunked array's shape entries must be non-negative integers"))
            .ToArray();
        var chunks = Sequence(fields, "chunks", offset)
            .Select(c => c as Tensor is { } t && t.dim() == 1 ? t : throw _reader.Corrupt(offset, "a chunked array's chunks must be 1-d arrays"))
            .ToArray();
        if (chunks.Length == 0) throw _reader.Corrupt(offset, "a chunked array has no chunks");
        if (chunks.Any(c => c.dtype != chunks[0].dtype)) throw _reader.Corrupt(offset, "a chunked array's chunks differ in dtype");
        var count = chunks.Sum(c => c.numel());
        if (count != Shapes.Numel(shape))
            throw _reader.Corrupt(offset, $"a chunked array of shape {Shapes.Format(shape)} needs {Shapes.Numel(shape)} elements, its chunks hold {count}");
        return cat(chunks, 0).reshape(shape);
    }

    // A map {'0': a, '1': b, ...} as [a, b, ...]: flax's _dict_to_tuple.
    private IEnumerable<object> Sequence(Dictionary<string, object> fields, string name, long offset)
    {
        if (!fields.TryGetValue(name, out var value) || value is not ParamTree map)
            throw _reader.Corrupt(offset, $"a chunked array needs a '{name}' map");
        var count = map.Keys.Count();
        return Enumerable.Range(0, count).Select(i =>
            map.Child(i.ToString(System.Globalization.CultureInfo.InvariantCulture))
            ?? throw _reader.Corrupt(offset, $"a chunked array's '{name}' map must have the keys 0 to {count - 1}"));
    }
}
