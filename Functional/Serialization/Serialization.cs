using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>
/// Flax state dicts: the tree form of optimizer and training states (<c>flax.serialization.to_state_dict</c>), and
/// restoring stored trees into the structure a model or optimizer expects (<c>from_state_dict</c>).
/// </summary>
public static partial class Serialization
{
    /// <summary>
    /// Checks that <paramref name="stateDict"/> has exactly the keys of <paramref name="target"/> at every level, and
    /// leaves of the target's shapes and dtypes, then returns it. Flax raises on keys missing from the state dict;
    /// Linen also rejects unexpected keys (which Flax drops silently) and checks shapes and dtypes, which Flax leaves
    /// to the first use.
    /// </summary>
    /// <param name="target">The structure the model expects; only its keys, shapes and dtypes are read.</param>
    /// <param name="stateDict">The tree that was read from a file.</param>
    /// <returns><paramref name="stateDict"/>, now known to fit <paramref name="target"/>.</returns>
    /// <exception cref="CheckpointException">The first path where the trees differ, and what the target expects there.</exception>
    public static ParamTree FromStateDict(ParamTree target, ParamTree stateDict) =>
        FromStateDict(target, stateDict, "the state dict");

    /// <summary>Restores every collection of <paramref name="target"/> from <paramref name="stateDict"/>.</summary>
    /// <exception cref="CheckpointException">The first path where the trees differ.</exception>
    public static Variables FromStateDict(Variables target, Variables stateDict) =>
        new(FromStateDict(target.Tree, stateDict.Tree));

    internal static ParamTree FromStateDict(ParamTree target, ParamTree stateDict, string source)
    {
        Check(target, stateDict, "", source);
        return stateDict;
    }

    private static void Check(ParamTree target, ParamTree state, string prefix, string source)
    {
        foreach (var (key, expected) in target)
        {
            var path = prefix.Length == 0 ? key : prefix + "/" + key;
            switch (expected, state.Child(key))
            {
                case (_, null):
                    throw CheckpointException.Mismatch(source, path, $"the key '{key}' is missing (expected {Describe(expected)})");
                case (ParamTree subtree, ParamTree stored):
                    Check(subtree, stored, path, source);
                    break;
                case (Tensor leaf, Tensor stored):
                    if (!leaf.shape.SequenceEqual(stored.shape) || leaf.dtype != stored.dtype)
                        throw CheckpointException.Mismatch(source, path, $"expected {Describe(leaf)}, found {Describe(stored)}");
                    break;
                case (_, var stored):
                    throw CheckpointException.Mismatch(source, path, $"expected {Describe(expected)}, found {Describe(stored)}");
            }
        }
        var unexpected = state.Keys.FirstOrDefault(k => target.Child(k) is null);
        if (unexpected is not null)
        {
            var path = prefix.Length == 0 ? unexpected : prefix + "/" + unexpected;
            throw CheckpointException.Mismatch(source, path,
                $"the key '{unexpected}' is not in the target (keys there: {string.Join(", ", target.Keys)})");
        }
    }

    private static string Describe(object node) => node switch
    {
        Tensor t => $"a {StorageDtype.ForScalarType(t.dtype)?.NumpyName ?? t.dtype.ToString()} leaf of shape {Shapes.Format(t.shape)}",
        _ => "a subtree",
    };
}
