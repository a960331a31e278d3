using Linen.Functional;
using static TorchSharp.torch;

namespace Linen.Cli.Training;

/// <summary>
/// Starts fine-tuning from stored parameters (a Flax msgpack or safetensors file of a params tree, of variables,
/// or a <c>linen train</c> checkpoint): every parameter whose path and shape match is taken from the file, the
/// rest (typically a classifier head for another number of classes) keeps its fresh initialisation.
/// </summary>
internal static class PretrainedParams
{
    /// <summary>The parameters of <paramref name="initial"/> with every matching leaf replaced by the file's, and a report of what was not.</summary>
    /// <exception cref="UserException">The file has no parameter matching the model.</exception>
    /// <param name="initial">The model's freshly initialised parameters.</param>
    /// <param name="path">The pretrained file.</param>
    /// <param name="read">Reads the file into the model's parameter names; null for files already in them.</param>
    public static (ParamTree Params, IReadOnlyList<string> Notes) Merge(ParamTree initial, string path, Func<string, ParamTree>? read = null)
    {
        if (!File.Exists(path)) throw new UserException($"Pretrained file {path} does not exist.");
        var stored = (read ?? Checkpoint.Load)(path);
        if (stored.TryGetSubtree(Variables.ParamsCollection, out var inner)) stored = inner;
        var notes = new List<string>();
        var taken = 0;
        var merged = initial.MapWithPath((leafPath, fresh) =>
        {
            if (!stored.TryGetLeaf(leafPath, out var value)) notes.Add($"{leafPath}: not in the file, freshly initialised");
            else if (!value.shape.SequenceEqual(fresh.shape))
                notes.Add($"{leafPath}: shape {Shapes.Format(value.shape)} in the file, {Shapes.Format(fresh.shape)} in the model, freshly initialised");
            else
            {
                taken++;
                return value.to(fresh.dtype, fresh.device);
            }
            return fresh;
        });
        if (taken == 0) throw new UserException($"{path} has no parameter with the paths and shapes of this model (expected e.g. '{initial.Paths.First()}').");
        var unused = stored.Paths.Where(p => !initial.Contains(p)).ToList();
        if (unused.Count > 0) notes.Add($"{unused.Count} entries of the file unused, e.g. {unused[0]}");
        notes.Insert(0, $"{taken} of {initial.LeafCount} parameter arrays loaded from {path}");
        return (merged, notes);
    }
}
