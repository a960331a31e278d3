using Linen.Functional;
using static TorchSharp.torch;

namespace Linen.Testing;

public static partial class LayerAssert
{
    /// <summary>
    /// Checks that Apply is a pure function: it leaves <paramref name="input"/> and every leaf of
    /// <paramref name="variables"/> bit-identical, and a second call returns a bit-identical output.
    /// </summary>
    /// <param name="module">The module under test.</param>
    /// <param name="variables">Its variables (from Init).</param>
    /// <param name="input">A valid input.</param>
    /// <param name="rngs">Keys for the streams Apply draws from (e.g. <c>dropout</c> in training).</param>
    /// <param name="train">Training mode.</param>
    /// <param name="mutable">The collections Apply may update (e.g. <c>batch_stats</c> in training): it must return new values, not change the given ones.</param>
    /// <exception cref="LayerAssertionException">A check failed, or the module threw.</exception>
    public static void AssertPure(Module module, Variables variables, Tensor input, Rngs? rngs = null, bool train = false, CollectionFilter? mutable = null)
    {
        const string check = nameof(AssertPure);
        using var scope = NewDisposeScope();
        var inputBefore = input.detach().clone();
        var variablesBefore = variables.Tree.Map(t => t.detach().clone());
        var first = Run(check, module, null, "Apply", () => ApplyOutput(module, variables, input, rngs, train, mutable));
        if (TensorDiff.FirstBitDifference(inputBefore, input, "before", "after") is { } inputChange)
            throw Failure(check, module, $"Apply changed its input in place, {inputChange}. " +
                "Use out-of-place operations on the input (add, not add_).");
        if (TensorDiff.FirstBitDifference(variablesBefore, variables.Tree, "before", "after") is { } variableChange)
            throw Failure(check, module, $"Apply changed variable {variableChange}. " +
                "Variables are immutable: return updated state through a mutable collection instead.");
        var second = Run(check, module, null, "The second Apply", () => ApplyOutput(module, variables, input, rngs, train, mutable));
        if (TensorDiff.FirstBitDifference(first, second, "first", "second") is { } outputChange)
            throw Failure(check, module, $"two Applies with the same variables, input and rngs returned different outputs, {outputChange}. " +
                "Randomness must come from scope.MakeRng, not from torch's global generator.");
    }
}
