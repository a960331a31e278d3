using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>The state one Init or Apply call shares among all its scopes.</summary>
internal sealed class ScopeRoot(Variables input, Rngs rngs, CollectionFilter mutable, bool train, bool initializing, Device device)
{
    private readonly Dictionary<string, Dictionary<string, Tensor>> _written = [];
    private readonly List<Tensor> _writeLog = [];  // every value written, in order: what a submodule call must let escape

    public Variables Input { get; } = input;
    public Rngs Rngs { get; } = rngs;
    public CollectionFilter Mutable { get; } = mutable;
    public bool Train { get; } = train;
    public bool Initializing { get; } = initializing;
    public Device Device { get; } = device;
    public Dictionary<(string Path, string Stream), int> RngCounters { get; } = [];

    public void Write(string collection, string path, Tensor value)
    {
        if (!_written.TryGetValue(collection, out var leaves)) _written[collection] = leaves = [];
        leaves[path] = value;
        _writeLog.Add(value);
    }

    /// <summary>How many values have been written so far.</summary>
    public int WriteCount => _writeLog.Count;

    /// <summary>The values written after the first <paramref name="count"/>.</summary>
    public IEnumerable<Tensor> WrittenSince(int count) => _writeLog.Skip(count);

    public bool TryReadWritten(string collection, string path, out Tensor value)
    {
        value = null!;
        return _written.TryGetValue(collection, out var leaves) && leaves.TryGetValue(path, out value!);
    }

    /// <summary>The mutable collections after the call: the inputs with this call's writes applied.</summary>
    public Variables MutatedCollections()
    {
        var result = Variables.Empty;
        foreach (var collection in Input.Collections.Union(_written.Keys).Where(Mutable.Includes))
        {
            var tree = Input[collection];
            if (_written.TryGetValue(collection, out var leaves))
                foreach (var (path, value) in leaves) tree = tree.SetItem(path, value);
            result = result.SetCollection(collection, tree);
        }
        return result;
    }
}
