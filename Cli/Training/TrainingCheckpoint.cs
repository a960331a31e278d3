using System.Text;
using System.Text.Json;
using Linen.Functional;
using static TorchSharp.torch;

namespace Linen.Cli.Training;

/// <summary>
/// A training checkpoint: one Flax msgpack file (written atomically by <see cref="Checkpoint"/>) holding the
/// state dict of Flax's <c>TrainState</c> (<see cref="Serialization.ToStateDict(TrainState)"/>: <c>step</c>,
/// <c>params</c>, <c>opt_state</c>, and the model's other collections beside them) plus a <c>linen</c> entry: the
/// UTF-8 JSON of <see cref="CheckpointInfo"/> as a uint8 array, so the file stays one atomic unit that Flax's
/// <c>msgpack_restore</c> can still read.
/// </summary>
internal static class TrainingCheckpoint
{
    /// <summary>The file name in a run's output directory.</summary>
    public const string FileName = "checkpoint.msgpack";

    private const string InfoKey = "linen";

    /// <summary>Writes <paramref name="state"/> and <paramref name="info"/> to <paramref name="path"/>, replacing it atomically.</summary>
    public static void Save(string path, TrainState state, CheckpointInfo info)
    {
        using var scope = NewDisposeScope();
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(info, CheckpointInfo.Json));
        Checkpoint.Save(path, Serialization.ToStateDict(state).SetItem(InfoKey, tensor(json, [json.Length], ScalarType.Byte)));
    }

    /// <summary>Reads the checkpoint at <paramref name="path"/>: its tensors and its info.</summary>
    /// <exception cref="UserException">No such file, or the file was not written by <c>linen train</c>.</exception>
    /// <exception cref="CheckpointException">The file is corrupt (the message names the byte offset).</exception>
    public static (ParamTree Tree, CheckpointInfo Info) Load(string path)
    {
        if (!File.Exists(path)) throw new UserException($"Checkpoint {path} does not exist.");
        var tree = Checkpoint.Load(path);
        if (!tree.TryGetLeaf(InfoKey, out var json) || json.dtype != ScalarType.Byte)
            throw new UserException($"{path} is not a checkpoint written by `linen train` (it has no '{InfoKey}' entry).");
        CheckpointInfo? info;
        try
        {
            info = JsonSerializer.Deserialize<CheckpointInfo>(json.data<byte>().ToArray(), CheckpointInfo.Json);
        }
        catch (JsonException e)
        {
            throw new UserException($"{path}: the '{InfoKey}' entry is not valid checkpoint metadata ({e.Message}).");
        }
        return (tree.Remove(InfoKey), info ?? throw new UserException($"{path}: the '{InfoKey}' entry is empty."));
    }

    /// <summary>
    /// The state stored in <paramref name="tree"/>, shaped like <paramref name="template"/> (a fresh state of the
    /// same model and optimizer).
    /// </summary>
    /// <exception cref="UserException">The stored tree differs from the template; the message names the first differing path.</exception>
    public static TrainState Restore(TrainState template, ParamTree tree, string path, string model) =>
        Fit(() => Serialization.FromStateDict(template, tree), path, model);

    /// <summary>The variables stored in <paramref name="tree"/> (params and other collections), checked against <paramref name="template"/>.</summary>
    /// <exception cref="UserException">The stored variables differ from the template; the message names the first differing path.</exception>
    public static Variables RestoreVariables(Variables template, ParamTree tree, string path, string model)
    {
        var stored = template.Collections.Aggregate(Variables.Empty, (v, c) => v.SetCollection(c, tree.TryGetSubtree(c, out var t) ? t : ParamTree.Empty));
        return Fit(() => Serialization.FromStateDict(template, stored), path, model);
    }

    private static T Fit<T>(Func<T> restore, string path, string model)
    {
        try
        {
            return restore();
        }
        catch (CheckpointException e)
        {
            throw new UserException($"{path} does not fit model '{model}' (a checkpoint of another model or settings?): {e.Message}");
        }
    }
}
