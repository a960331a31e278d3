using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>
/// Saves and loads model variables as single files. The format follows the extension: <c>.safetensors</c> is
/// <see cref="Safetensors"/>, anything else Flax's msgpack (<see cref="FlaxMsgpack"/>, what
/// <c>flax.training.checkpoints</c> writes without Orbax). Saving is atomic: a crash or error mid-write leaves the
/// previous file intact and no partial file behind.
/// </summary>
public static class Checkpoint
{
    /// <summary>Writes <paramref name="tree"/> to <paramref name="path"/>, replacing it atomically.</summary>
    /// <exception cref="CheckpointException">A leaf's dtype cannot be stored; the message names its path.</exception>
    public static void Save(string path, ParamTree tree)
    {
        if (IsSafetensors(path)) Safetensors.Save(path, tree);
        else AtomicFile.Write(path, stream => FlaxMsgpack.Write(stream, tree));
    }

    /// <summary>Writes every collection of <paramref name="variables"/> to <paramref name="path"/>.</summary>
    /// <exception cref="CheckpointException">A leaf's dtype cannot be stored.</exception>
    public static void Save(string path, Variables variables) => Save(path, variables.Tree);

    /// <summary>Writes the state dict of <paramref name="state"/> (<see cref="Serialization.ToStateDict(TrainState)"/>) to <paramref name="path"/>, replacing it atomically.</summary>
    /// <exception cref="CheckpointException">A leaf's dtype cannot be stored.</exception>
    public static void Save(string path, TrainState state)
    {
        using var scope = NewDisposeScope();
        Save(path, Serialization.ToStateDict(state));
    }

    /// <summary>The tree stored in <paramref name="path"/>, without a template.</summary>
    /// <exception cref="CheckpointException">The file is truncated or corrupt; the message names the file and byte offset.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public static ParamTree Load(string path)
    {
        if (IsSafetensors(path)) return Safetensors.Load(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        return FlaxMsgpack.Read(stream, $"'{path}'");
    }

    /// <summary>The tree stored in <paramref name="path"/>, checked against <paramref name="target"/>: the same keys
    /// at every level, and leaves of the target's shapes and dtypes (see <see cref="Serialization.FromStateDict(ParamTree, ParamTree)"/>).</summary>
    /// <exception cref="CheckpointException">The file is corrupt, or the first path where it differs from the target.</exception>
    public static ParamTree Load(string path, ParamTree target) =>
        Serialization.FromStateDict(target, Load(path), $"'{path}'");

    /// <summary>The variables stored in <paramref name="path"/>, checked against <paramref name="target"/>.</summary>
    /// <exception cref="CheckpointException">The file is corrupt, or the first path where it differs from the target.</exception>
    public static Variables Load(string path, Variables target) => new(Load(path, target.Tree));

    /// <summary>The training state stored in <paramref name="path"/>, restored into <paramref name="target"/> (see <see cref="Serialization.FromStateDict(TrainState, ParamTree)"/>).</summary>
    /// <exception cref="CheckpointException">The file is corrupt, or the first path where it differs from the target's state dict.</exception>
    public static TrainState Load(string path, TrainState target) =>
        Serialization.FromStateDict(target, Load(path), $"'{path}'");

    private static bool IsSafetensors(string path) =>
        Path.GetExtension(path).Equals(".safetensors", StringComparison.OrdinalIgnoreCase);
}
