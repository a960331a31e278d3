using Linen.Functional;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Testing;

public static partial class LayerAssert
{
    /// <summary>
    /// Checks that the key decides the variables: Init twice with <paramref name="key"/> gives bit-identical
    /// variables and Apply with them bit-identical outputs, and Init with another key (<c>key.FoldIn(1)</c>)
    /// changes every parameter whose values are not all equal (a constant such as a zero bias may stay).
    /// </summary>
    /// <param name="module">The module under test.</param>
    /// <param name="key">The <c>params</c> key for Init.</param>
    /// <param name="input">A valid input.</param>
    /// <param name="requireKeyDependence">Whether non-constant parameters must change with the key (off for deliberately fixed initializers).</param>
    /// <param name="rngs">Keys for the streams other than <c>params</c> that Init and Apply draw from (e.g. <c>dropout</c>).</param>
    /// <param name="train">Training mode, for Init and Apply.</param>
    /// <param name="mutable">The collections Apply may update (e.g. <c>batch_stats</c> in training); none by default.</param>
    /// <exception cref="LayerAssertionException">A check failed, or the module threw.</exception>
    public static void AssertDeterministic(Module module, PrngKey key, Tensor input, bool requireKeyDependence = true,
        Rngs? rngs = null, bool train = false, CollectionFilter? mutable = null)
    {
        const string check = nameof(AssertDeterministic);
        using var scope = NewDisposeScope();
        var first = Run(check, module, key, "Init", () => module.Init(InitRngs(key, rngs), input, train));
        var second = Run(check, module, key, "The second Init", () => module.Init(InitRngs(key, rngs), input, train));
        if (TensorDiff.FirstBitDifference(first.Tree, second.Tree, "in the first Init", "in the second") is { } changed)
            throw Failure(check, module, $"two Inits with the same key gave different variables: {changed}. " +
                "Initializers must draw only from the key they are given, not from torch's global generator.", key);

        var outputs = Run(check, module, key, "Apply", () =>
            (ApplyOutput(module, first, input, rngs, train, mutable), ApplyOutput(module, second, input, rngs, train, mutable)));
        if (TensorDiff.FirstBitDifference(outputs.Item1, outputs.Item2, "first", "second") is { } outputChange)
            throw Failure(check, module, $"Apply with identical variables and input returned different outputs, {outputChange}.", key);

        if (!requireKeyDependence) return;
        var otherKey = key.FoldIn(1);
        var other = Run(check, module, otherKey, "Init with another key", () => module.Init(InitRngs(otherKey, rngs), input, train));
        if (TensorDiff.FirstStructureDifference(first.Tree, other.Tree, $"with key {key}", $"with key {otherKey}") is { } moved)
            throw Failure(check, module, $"Init with another key made variables of another structure: {moved}.");
        foreach (var (path, leaf) in first.Params.Flatten())
        {
            if (IsConstant(leaf) || TensorDiff.FirstBitDifference(leaf, other.Params[path], "", "") is not null) continue;
            throw Failure(check, module,
                $"Inits with keys {key} and {otherKey} gave the same values for 'params/{path}', which are not all equal: " +
                "its initializer ignores the key (a fixed key or seed?). Pass requireKeyDependence: false if that is intended.");
        }
    }

    private static bool IsConstant(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.numel() <= 1 || t.eq(t.flatten()[0]).all().item<bool>();
    }
}
