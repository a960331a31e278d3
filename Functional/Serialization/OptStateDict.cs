using System.Diagnostics;
using System.Reflection;
using System.Text;
using static TorchSharp.torch;

namespace Linen.Functional;

public static partial class Serialization
{
    /// <summary>
    /// The Flax state dict of an optimizer state (<c>flax.serialization.to_state_dict</c> of optax's state): a
    /// <see cref="ChainState"/> is the tuple <c>{"0": …, "1": …}</c>, any other state a map of its record's fields
    /// in snake_case (optax's names: <c>count</c>, <c>mu</c>, <c>nu</c>, <c>inner_state</c>), a count an int32
    /// scalar, <see cref="EmptyState"/> an empty map. A <see cref="MaskedState"/> holds the selected leaves only
    /// (optax keeps an empty <c>MaskedNode</c> in place of the others).
    /// </summary>
    /// <param name="state">The state; the tree shares its moment tensors, only the counts are new tensors.</param>
    /// <exception cref="NotSupportedException">A state record has a field other than an <see cref="int"/> count, a <see cref="ParamTree"/> or an inner <see cref="OptState"/>.</exception>
    public static ParamTree ToStateDict(OptState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state is ChainState chain)
            return chain.Inner.Select((s, i) => (s, i)).Aggregate(ParamTree.Empty, (t, x) => t.SetItem(x.i.ToString(), ToStateDict(x.s)));
        return Fields(state).Aggregate(ParamTree.Empty, (tree, field) => field.Value switch
        {
            int count => tree.SetItem(field.Key, tensor(count)),
            ParamTree moments => tree.SetItem(field.Key, moments),
            OptState inner => tree.SetItem(field.Key, ToStateDict(inner)),
            var other => throw new NotSupportedException(
                $"Optimizer state {state.GetType().Name} has a field '{field.Key}' of type {other?.GetType().Name ?? "null"}, which has no state-dict form."),
        });
    }

    /// <summary>
    /// <c>flax.serialization.from_state_dict</c> for an optimizer state: the state of <paramref name="target"/>'s
    /// types (a fresh <c>tx.Init(params)</c>) holding the values of <paramref name="stateDict"/>, which must have
    /// exactly the keys, shapes and dtypes of <see cref="ToStateDict(OptState)"/> of the target.
    /// </summary>
    /// <param name="target">A state of the same transformation for parameters of the same structure; only its types and shapes are read.</param>
    /// <param name="stateDict">The stored tree, e.g. the <c>opt_state</c> subtree of a loaded checkpoint.</param>
    /// <exception cref="CheckpointException">The first path where <paramref name="stateDict"/> differs from the target's state dict.</exception>
    public static OptState FromStateDict(OptState target, ParamTree stateDict) =>
        FromStateDict(target, stateDict, "the state dict");

    internal static OptState FromStateDict(OptState target, ParamTree stateDict, string source)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(stateDict);
        using (NewDisposeScope()) FromStateDict(ToStateDict(target), stateDict, source);
        return RestoreChecked(target, stateDict);
    }

    /// <summary>A state like <paramref name="target"/> with the values of <paramref name="stateDict"/>, already checked to fit it.</summary>
    internal static OptState RestoreChecked(OptState target, ParamTree stateDict)
    {
        if (target is ChainState chain)
            return new ChainState([.. chain.Inner.Select((s, i) => RestoreChecked(s, stateDict.Subtree(i.ToString())))]);
        var fields = Fields(target).ToList();
        if (fields.Count == 0) return target;
        var arguments = fields.Select(f => f.Value switch
        {
            int => stateDict[f.Key].item<int>(),
            ParamTree => stateDict.Subtree(f.Key),
            OptState inner => (object)RestoreChecked(inner, stateDict.Subtree(f.Key)),
            _ => throw new UnreachableException(),
        }).ToArray();
        return (OptState)PrimaryConstructor(target.GetType()).Invoke(arguments);
    }

    // A state record's positional parameters are its fields, named as optax names them (in PascalCase).
    private static IEnumerable<(string Key, object? Value)> Fields(OptState state)
    {
        var type = state.GetType();
        var parameters = type.GetConstructors().FirstOrDefault(c => c.GetParameters().Length > 0)?.GetParameters() ?? [];
        return parameters.Select(p => (SnakeCase(p.Name!), type.GetProperty(p.Name!)!.GetValue(state)));
    }

    private static ConstructorInfo PrimaryConstructor(Type type) =>
        type.GetConstructors().Single(c => c.GetParameters().Length > 0 && c.GetParameters()[0].ParameterType != type);

    private static string SnakeCase(string name)
    {
        var text = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) text.Append('_');
            text.Append(char.ToLowerInvariant(name[i]));
        }
        return text.ToString();
    }
}
