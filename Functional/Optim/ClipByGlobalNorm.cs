using TorchSharp;
using static TorchSharp.torch;

namespace Linen.Functional;

public static partial class Optax
{
    /// <summary>
    /// <c>optax.clip_by_global_norm</c>: with <c>n = √(Σ_leaves Σ x²)</c>, leaves the updates unchanged when
    /// <c>n &lt; maxNorm</c> and returns <c>(u / n)·maxNorm</c> otherwise. No state.
    /// </summary>
    public static GradientTransformation ClipByGlobalNorm(double maxNorm) => new(
        _ => EmptyState.Instance,
        (updates, state, _) =>
        {
            var norm = GlobalNorm(updates);
            if (norm < maxNorm) return (updates, state);
            using var normScalar = norm.ToScalar();
            using var maxNormScalar = maxNorm.ToScalar();
            return (updates.Map(u => u.div(normScalar).mul_(maxNormScalar)), state);
        });

    /// <summary><c>optax.tree.norm</c>: the L2 norm of all leaves together (0 for an empty tree).</summary>
    public static double GlobalNorm(ParamTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var leaves = tree.Leaves.ToList();
        if (leaves.Count == 0) return 0;
        using var scope = NewDisposeScope();
        return stack(leaves.Select(x => x.Square().sum())).sum().sqrt().ToDouble();
    }
}
