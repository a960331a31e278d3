using Linen.Functional;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Testing;

public static partial class LayerAssert
{
    /// <summary>
    /// Checks that Init is reproducible and predicts Apply: two Inits with <paramref name="key"/> give bit-identical
    /// variables; Apply with them returns an output of the dtype and shape Init's call returned; and Apply with
    /// every collection mutable returns variables of the same paths and shapes (no parameter or state appears,
    /// vanishes or changes shape after Init).
    /// </summary>
    /// <param name="module">The module under test.</param>
    /// <param name="key">The <c>params</c> key for Init.</param>
    /// <param name="input">A valid input.</param>
    /// <param name="rngs">Keys for the streams other than <c>params</c> that Init and Apply draw from (e.g. <c>dropout</c>).</param>
    /// <param name="train">Training mode, for Init and Apply.</param>
    /// <param name="mutable">The collections Apply may update (e.g. <c>batch_stats</c> in training); none by default.</param>
    /// <exception cref="LayerAssertionException">A check failed, or the module threw (the exception is the inner one).</exception>
    public static void AssertShapesAgree(Module module, PrngKey key, Tensor input,
        Rngs? rngs = null, bool train = false, CollectionFilter? mutable = null)
    {
        const string check = nameof(AssertShapesAgree);
        using var scope = NewDisposeScope();
        var (initOutput, variables) = Run(check, module, key, "Init", () => module.InitWithOutput(InitRngs(key, rngs), input, train));
        var again = Run(check, module, key, "The second Init", () => module.Init(InitRngs(key, rngs), input, train));
        if (TensorDiff.FirstBitDifference(variables.Tree, again.Tree, "in the first Init", "in the second") is { } changed)
            throw Failure(check, module, $"two Inits with the same key gave different variables: {changed}. " +
                "Initializers must draw only from the key they are given.", key);

        var output = Run(check, module, key, "Apply with the variables from Init", () => ApplyOutput(module, variables, input, rngs, train, mutable));
        if (output.dtype != initOutput.dtype || !output.shape.SequenceEqual(initOutput.shape))
            throw Failure(check, module,
                $"Apply returned {Describe(output)}, but Init's call returned {Describe(initOutput)}.", key);

        var (_, mutated) = Run(check, module, key, "Apply with every collection mutable",
            () => module.Apply(variables, input, CollectionFilter.All, rngs, train));
        if (TensorDiff.FirstStructureDifference(variables.Tree, mutated.Tree, "after Init", "after Apply") is { } moved)
            throw Failure(check, module, $"the variables Apply returns differ in structure from Init's: {moved}.", key);
    }

    private static string Describe(Tensor t) => $"{t.dtype.ToString().ToLowerInvariant()} {Shapes.Format(t.shape)}";
}
