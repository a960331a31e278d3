using Linen.Functional;
using static TorchSharp.torch;

namespace Linen.Models;

/// <summary>
/// Loads pretrained Vision Transformer weights into <see cref="VisionTransformer"/>'s parameter tree: from a
/// Hugging Face <c>ViTForImageClassification</c> or <c>ViTModel</c> safetensors file (e.g. <c>google/vit-base-patch16-224</c>
/// or <c>-224-in21k</c>: PyTorch layouts and dotted names, mapped to ours) or from a Flax msgpack checkpoint of the reference implementation
/// (whose names are ours). The result is checked against the model: every missing, unexpected or mis-shaped
/// parameter is reported by name.
/// </summary>
public static partial class VitImport
{
    /// <summary>Reads a Hugging Face ViT safetensors file.</summary>
    /// <param name="path">The <c>.safetensors</c> file.</param>
    /// <param name="model">The model the weights are for (its width, heads and depth decide the expected shapes).</param>
    /// <param name="replaceHead">Drop the file's classifier, if any, and start a zero <c>head</c> for <c>model.Classes</c> (fine-tuning).</param>
    /// <exception cref="CheckpointException">The file is unreadable, or its parameters do not fit the model; the message lists each by name.</exception>
    public static ParamTree FromHuggingFace(string path, VisionTransformer model, bool replaceHead = false)
    {
        var source = Safetensors.Load(path);
        var mapped = ParamTree.Empty;
        var unexpected = new List<string>();
        foreach (var (name, value) in source.Flatten())
        {
            if (replaceHead && IsPooler(name)) continue;  // it only feeds the classifier being replaced
            var target = MapHuggingFaceName(name);
            if (target is null) { unexpected.Add(name); continue; }
            mapped = mapped.SetItem(target, ToFlaxLayout(target, value, model.NumHeads));
        }
        return Validate(path, mapped, model, replaceHead, unexpected);
    }

    /// <summary>Reads a Flax msgpack checkpoint (bare parameters or wrapped as <c>{"params": …}</c>).</summary>
    /// <inheritdoc cref="FromHuggingFace"/>
    public static ParamTree FromFlaxCheckpoint(string path, VisionTransformer model, bool replaceHead = false)
    {
        var tree = Checkpoint.Load(path);
        if (tree.TryGetSubtree(Variables.ParamsCollection, out var inner)) tree = inner;
        return Validate(path, tree, model, replaceHead, []);
    }

    /// <summary>
    /// The parameters with a fresh zero <c>head</c> for <paramref name="model"/>'s width and classes (Flax fine-tuning's
    /// zero-initialised head), whether or not they had a head before.
    /// </summary>
    public static ParamTree WithNewHead(ParamTree parameters, VisionTransformer model) =>
        parameters.SetItem("head/kernel", zeros(model.HiddenSize, model.Classes)).SetItem("head/bias", zeros(model.Classes));

    private static ParamTree Validate(string file, ParamTree loaded, VisionTransformer model, bool replaceHead, List<string> unexpected)
    {
        if (!loaded.TryGetLeaf("Transformer/posembed_input/pos_embedding", out var positions))
            throw new CheckpointException($"'{file}' has no position embeddings (Transformer/posembed_input/pos_embedding): is it a ViT checkpoint?");
        var side = (long)Math.Round(Math.Sqrt(positions.shape[1] - 1)) * model.PatchSize;
        var expected = ExpectedShapes(model, side);
        if (replaceHead) loaded = WithNewHead(loaded, model);
        var problems = unexpected.Select(n => $"unexpected '{n}'").ToList();
        foreach (var (path, shape) in expected)
        {
            if (!loaded.TryGetLeaf(path, out var leaf)) problems.Add($"missing '{path}' {Shapes.Format(shape)}");
            else if (!leaf.shape.SequenceEqual(shape))
                problems.Add($"'{path}' has shape {Shapes.Format(leaf.shape)}, the model expects {Shapes.Format(shape)}");
        }
        problems.AddRange(loaded.Paths.Where(p => !expected.ContainsKey(p)).Select(p => $"unexpected '{p}'"));
        if (problems.Count > 0)
        {
            // A file of another size differs in almost every array: name the first few, count the rest.
            const int shown = 6;
            var more = problems.Count > shown ? $"; … and {problems.Count - shown} more" : "";
            throw new CheckpointException($"'{file}' does not fit {ModelText(model)}: {string.Join("; ", problems.Take(shown))}{more}.");
        }
        return loaded;
    }

    private static Dictionary<string, long[]> ExpectedShapes(VisionTransformer model, long side)
    {
        using var scope = NewDisposeScope();
        var variables = model.Init(Prng.PrngKey.FromSeed(0), zeros(1, side, side, 3));
        return variables.Params.Flatten().ToDictionary(kv => kv.Key, kv => kv.Value.shape);
    }

    private static string ModelText(VisionTransformer m) =>
        $"ViT (patch {m.PatchSize}, width {m.HiddenSize}, {m.NumLayers} layer{(m.NumLayers == 1 ? "" : "s")}, {m.NumHeads} heads, MLP {m.MlpDim}, {m.Classes} classes)";
}
