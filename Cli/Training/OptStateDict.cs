using System.Collections.Immutable;
using System.Reflection;
using System.Text;
using Linen.Functional;
using static TorchSharp.torch;

namespace Linen.Cli.Training;

/// <summary>
/// Optimizer states as Flax state dicts (<c>flax.serialization.to_state_dict</c> of optax's states): a chain is
/// the tuple <c>{"0": …, "1": …}</c>, a state record is a map of its snake_case fields (<c>count</c>, <c>mu</c>,
/// <c>nu</c>), counts are int32 scalars and <c>EmptyState</c> is an empty map. Restoring is template-directed,
/// as in Flax: a fresh state from <c>tx.Init</c> gives the types, and the stored values replace its values.
/// </summary>
internal static class OptStateDict
{
    /// <summary>The state dict of <paramref name="state"/>.</summary>
    public static ParamTree ToTree(OptState state)
    {
        var builder = ParamTree.Empty;
        foreach (var (key, value) in Fields(state))
        {
            builder = value switch
            {
                int count => builder.SetItem(key, tensor(count)),
                ParamTree tree => builder.SetItem(key, tree),
                OptState inner => builder.SetItem(key, ToTree(inner)),
                ImmutableArray<OptState> items => builder.SetItem(key, Tuple(items)),
                _ => throw new NotSupportedException($"Optimizer state {state.GetType().Name} has a field of type {value?.GetType().Name}, which has no state-dict form."),
            };
        }
        return state is ChainState chain ? Tuple(chain.Inner) : builder;
    }

    /// <summary>A state like <paramref name="template"/> with the values of <paramref name="tree"/> (its structure already checked against <see cref="ToTree"/> of the template).</summary>
    public static OptState FromTree(OptState template, ParamTree tree)
    {
        if (template is ChainState chain)
            return new ChainState([.. chain.Inner.Select((s, i) => FromTree(s, tree.Subtree(i.ToString())))]);
        var fields = Fields(template).ToList();
        if (fields.Count == 0) return template;
        var arguments = fields.Select(f => f.Value switch
        {
            int => (object)tree[f.Key].to_type(ScalarType.Int32).item<int>(),
            ParamTree => tree.Subtree(f.Key),
            OptState inner => FromTree(inner, tree.Subtree(f.Key)),
            ImmutableArray<OptState> items => items.Select((s, i) => FromTree(s, tree.Subtree($"{f.Key}/{i}"))).ToImmutableArray(),
            _ => throw new NotSupportedException($"Optimizer state {template.GetType().Name} cannot be restored."),
        }).ToArray();
        return (OptState)PrimaryConstructor(template.GetType()).Invoke(arguments);
    }

    private static ParamTree Tuple(ImmutableArray<OptState> items) =>
        items.Select((s, i) => (s, i)).Aggregate(ParamTree.Empty, (t, x) => t.SetItem(x.i.ToString(), ToTree(x.s)));

    private static IEnumerable<(string Key, object? Value)> Fields(OptState state)
    {
        if (state is ChainState) return [];
        var type = state.GetType();
        var parameters = type.GetConstructors().Where(c => c.GetParameters().Length > 0).Select(c => c.GetParameters()).FirstOrDefault() ?? [];
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
