using TorchSharp;
using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>Leaf-wise helpers shared by the transformations (optax's <c>optax.tree</c> functions).</summary>
internal static class TreeMath
{
    /// <summary>A tree of zeros shaped like <paramref name="tree"/>.</summary>
    internal static ParamTree ZerosLike(ParamTree tree) => tree.Map(t => zeros_like(t));

    /// <summary>A tree filled with <paramref name="value"/>, shaped like <paramref name="tree"/>.</summary>
    internal static ParamTree FullLike(ParamTree tree, double value)
    {
        using var scalar = value.ToScalar();
        return tree.Map(t => full_like(t, scalar));
    }

    /// <summary>
    /// Zips two trees already known to match (see <see cref="RequireMatch"/>), so the per-step path does not
    /// query every leaf's shape again.
    /// </summary>
    internal static ParamTree Zip(ParamTree a, ParamTree b, Func<Tensor, Tensor, Tensor> f) => ParamTree.Zip(a, b, f);

    /// <summary>Throws unless <paramref name="other"/> has the structure and shapes of <paramref name="updates"/>.</summary>
    /// <exception cref="TreeStructureException">Names the transformation, what was compared and the first difference.</exception>
    internal static void RequireMatch(string transformation, ParamTree updates, ParamTree other, string otherName,
        string hint = "Make the state with Init on the parameters that these updates are for.")
    {
        try
        {
            ParamTree.RequireSameStructure(updates, other);
        }
        catch (TreeStructureException e)
        {
            throw new TreeStructureException(
                $"{transformation}: the updates (first tree) do not match the {otherName} (second tree). {e.Message} {hint}");
        }
    }

    /// <summary>The sub-tree of the leaves whose path <paramref name="keep"/> accepts.</summary>
    internal static ParamTree Where(ParamTree tree, Func<string, bool> keep) =>
        ParamTree.Unflatten(tree.Flatten().Where(kv => keep(kv.Key)));
}
