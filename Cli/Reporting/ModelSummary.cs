using Linen.Functional;
using Linen.Layers;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Cli.Reporting;

/// <summary>
/// What Flax's <c>nn.tabulate</c> shows, computed from one <c>Init</c> watched by a <see cref="IModuleInterceptor"/>:
/// the root, then a row per submodule call in the order the calls start, each with its input and output, its
/// multiply-adds where they follow from shapes alone (<see cref="Dense"/>, <see cref="Conv"/>), and the module's own
/// variables per collection. A module called again (shared weights) gets a row per call; its variables are listed
/// on the first.
/// </summary>
/// <param name="ModelName">The model's type name (the table title is <c>"{ModelName} Summary"</c>).</param>
/// <param name="Collections">The variable collections, in order.</param>
/// <param name="Rows">The root's row, then one row per submodule call.</param>
internal sealed record ModelSummary(string ModelName, IReadOnlyList<string> Collections, IReadOnlyList<ModelSummary.Row> Rows)
{
    /// <summary>One module call.</summary>
    /// <param name="Path">The module path joined with <c>/</c>; empty for the root.</param>
    /// <param name="Module">The module's type name.</param>
    /// <param name="Inputs">The input's dtype and shape; empty for a call through <see cref="Scope.Bind{T}"/>.</param>
    /// <param name="Outputs">The output's dtype and shape; empty when the call returned no single tensor.</param>
    /// <param name="MultiplyAdds">Multiply-adds of a dense or convolution call; null for other modules, which are not counted.</param>
    /// <param name="Variables">Per collection, the module's own leaves as <c>(name, tensor)</c>; empty on repeated calls.</param>
    internal sealed record Row(
        string Path, string Module, string Inputs, string Outputs, long? MultiplyAdds,
        IReadOnlyDictionary<string, IReadOnlyList<(string Name, Tensor Value)>> Variables);

    /// <summary>Initialises <paramref name="model"/> on zeros of <paramref name="inputShape"/> and tabulates its calls.</summary>
    /// <remarks>The tensors of the summary live in the caller's dispose scope.</remarks>
    public static ModelSummary Of(Module model, long[] inputShape)
    {
        var sample = zeros(inputShape);
        var recorder = new CallRecorder();
        Tensor output;
        Variables variables;
        using (ModuleInterception.Use(recorder)) (output, variables) = model.InitWithOutput(Rngs.Of(PrngKey.FromSeed(0)), sample);
        var collections = variables.Collections.ToList();
        var leaves = collections
            .SelectMany(c => variables[c].Flatten().Select(kv => (Collection: c, Module: ParentOf(kv.Key), Name: NameOf(kv.Key), kv.Value)))
            .ToList();
        var listed = new HashSet<string>();
        Row RowOf(string path, string module, string inputs, string outputs, long? multiplyAdds)
        {
            var first = listed.Add(path);
            return new(path, module, inputs, outputs, multiplyAdds, collections.ToDictionary(c => c, c => (IReadOnlyList<(string, Tensor)>)(first
                ? [.. leaves.Where(l => l.Collection == c && l.Module == path).Select(l => (l.Name, l.Value))]
                : [])));
        }
        var root = RowOf("", model.TypeName, Describe(sample), Describe(output), null);
        var calls = recorder.Calls.Select(c => RowOf(
            c.Path, c.Module.TypeName, c.Inputs, c.Outputs,
            c.OutputShape is { } shape ? MultiplyAdds(c.Module, shape, variables.Params, c.Path) : null));
        return new ModelSummary(model.TypeName, collections, [root, .. calls]);
    }

    /// <summary>The number of values and bytes of <paramref name="collection"/> in all rows.</summary>
    public (long Count, long Bytes) Total(string collection) => Size(Rows.SelectMany(r => r.Variables[collection]));

    /// <summary>The number of values and bytes of some leaves.</summary>
    public static (long Count, long Bytes) Size(IEnumerable<(string Name, Tensor Value)> leaves) =>
        leaves.Aggregate((0L, 0L), (acc, l) => (acc.Item1 + l.Value.numel(), acc.Item2 + (l.Value.numel() * l.Value.ElementSize)));

    // Each output position of a dense layer or convolution (all axes but the features) takes one multiply-add per
    // kernel entry: the fan-in (groups included) times the features. Bias adds are not counted.
    private static long? MultiplyAdds(Module module, long[] output, ParamTree parameters, string path) =>
        module switch
        {
            Dense or Conv when parameters.TryGetLeaf($"{path}/kernel", out var kernel) =>
                Shapes.Numel(output.AsSpan(..^1)) * kernel.numel(),
            _ => null,
        };

    private static string Describe(Tensor t) => Formats.DtypeShape(t.dtype, Shapes.Of(t));

    private static string ParentOf(string path) => path.Contains('/') ? path[..path.LastIndexOf('/')] : "";

    private static string NameOf(string path) => path[(path.LastIndexOf('/') + 1)..];

    /// <summary>Records each submodule call as it starts, and its output when it returns (the tensors die with the Init).</summary>
    private sealed class CallRecorder : IModuleInterceptor
    {
        public List<Call> Calls { get; } = [];

        public T Intercept<T>(ModuleCall call, Func<T> next)
        {
            var entry = new Call(string.Join('/', call.Scope.Path), call.Module, call.Input is { } x ? Describe(x) : "");
            Calls.Add(entry);
            var output = next();
            if (output is Tensor y) (entry.Outputs, entry.OutputShape) = (Describe(y), Shapes.Of(y));
            return output;
        }
    }

    private sealed class Call(string path, Module module, string inputs)
    {
        public string Path { get; } = path;
        public Module Module { get; } = module;
        public string Inputs { get; } = inputs;
        public string Outputs { get; set; } = "";
        public long[]? OutputShape { get; set; }
    }
}
