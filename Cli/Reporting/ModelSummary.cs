using Linen.Functional;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Cli.Reporting;

/// <summary>
/// What Flax's <c>nn.tabulate</c> shows, computed from one <c>Init</c>: a row per module path (ordinal order, as
/// Flax's variable dicts are sorted), each listing its own variables per collection, and totals. The root row
/// carries the model's input and output; the core has no per-call hook, so inner rows show no output shapes.
/// </summary>
/// <param name="ModelName">The model's type name (the table title is <c>"{ModelName} Summary"</c>).</param>
/// <param name="Input">The sample input's dtype and shape.</param>
/// <param name="Output">The output's dtype and shape.</param>
/// <param name="Collections">The variable collections, in order.</param>
/// <param name="Rows">One row per module.</param>
internal sealed record ModelSummary(string ModelName, string Input, string Output, IReadOnlyList<string> Collections, IReadOnlyList<ModelSummary.Row> Rows)
{
    /// <summary>One module: its path (empty for the root), its type, and its own variables per collection.</summary>
    /// <param name="Path">The module path joined with <c>/</c>.</param>
    /// <param name="Module">The module's type name, read from the auto-name (<c>Dense_0</c> → <c>Dense</c>); empty for explicit names.</param>
    /// <param name="Variables">Per collection, the module's own leaves as <c>(name, tensor)</c>.</param>
    internal sealed record Row(string Path, string Module, IReadOnlyDictionary<string, IReadOnlyList<(string Name, Tensor Value)>> Variables);

    /// <summary>Initialises <paramref name="model"/> on zeros of <paramref name="inputShape"/> and tabulates the result.</summary>
    /// <remarks>The tensors of the summary live in the caller's dispose scope.</remarks>
    public static ModelSummary Of(Module model, long[] inputShape)
    {
        var sample = zeros(inputShape);
        var (output, variables) = model.InitWithOutput(Rngs.Of(PrngKey.FromSeed(0)), sample);
        var collections = variables.Collections.ToList();
        var leaves = collections
            .SelectMany(c => variables[c].Flatten().Select(kv => (Collection: c, Module: ParentOf(kv.Key), Name: NameOf(kv.Key), kv.Value)))
            .ToList();
        var paths = leaves.Select(l => l.Module).SelectMany(Prefixes).Append("").Distinct().Order(StringComparer.Ordinal);
        var rows = paths.Select(path => new Row(
            path,
            path.Length == 0 ? model.TypeName : TypeFromAutoName(NameOf(path)),
            collections.ToDictionary(c => c, c => (IReadOnlyList<(string, Tensor)>)
                [.. leaves.Where(l => l.Collection == c && l.Module == path).Select(l => (l.Name, l.Value))]))).ToList();
        return new ModelSummary(model.TypeName, Formats.DtypeShape(sample.dtype, sample.shape), Formats.DtypeShape(output.dtype, output.shape), collections, rows);
    }

    /// <summary>The number of values and bytes of <paramref name="collection"/> in all rows.</summary>
    public (long Count, long Bytes) Total(string collection) => Size(Rows.SelectMany(r => r.Variables[collection]));

    /// <summary>The number of values and bytes of some leaves.</summary>
    public static (long Count, long Bytes) Size(IEnumerable<(string Name, Tensor Value)> leaves) =>
        leaves.Aggregate((0L, 0L), (acc, l) => (acc.Item1 + l.Value.numel(), acc.Item2 + (l.Value.numel() * l.Value.ElementSize)));

    private static string ParentOf(string path) => path.Contains('/') ? path[..path.LastIndexOf('/')] : "";

    private static string NameOf(string path) => path[(path.LastIndexOf('/') + 1)..];

    private static IEnumerable<string> Prefixes(string path) =>
        path.Length == 0 ? [""] : path.Split('/').Select((_, i) => string.Join('/', path.Split('/')[..(i + 1)]));

    private static string TypeFromAutoName(string name)
    {
        var cut = name.LastIndexOf('_');
        return cut > 0 && name[(cut + 1)..].All(char.IsAsciiDigit) && name.Length > cut + 1 ? name[..cut] : "";
    }
}
