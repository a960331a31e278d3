using Linen.Functional;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Testing;

/// <summary>
/// Checks of the contract every Linen layer keeps: shapes agree between Init and Apply, Apply is pure,
/// keys decide everything random, gradients are right, and no tensor outlives its call. Each check throws a
/// <see cref="LayerAssertionException"/> whose message says what differs, where and how to reproduce it,
/// so it works under any test framework. All checks run in their own dispose scope and free what they make.
/// </summary>
public static partial class LayerAssert
{
    /// <summary>
    /// Every check on one case: <see cref="AssertShapesAgree"/>, <see cref="AssertDeterministic"/>, the
    /// <see cref="AssertNoLeaks(Module, PrngKey, Tensor, Rngs?, bool, CollectionFilter?)"/> of Init and Apply, and with
    /// the variables Init makes from <paramref name="key"/>: <see cref="AssertPure"/> and, unless
    /// <paramref name="checkGradients"/> is off, <see cref="AssertGradMatchesFiniteDifferences"/>.
    /// </summary>
    /// <param name="module">The module under test.</param>
    /// <param name="key">The <c>params</c> key for Init.</param>
    /// <param name="input">A valid input.</param>
    /// <param name="checkGradients">Whether to compare gradients with finite differences (off for non-differentiable layers).</param>
    /// <param name="rngs">Keys for the streams other than <c>params</c> that Init and Apply draw from (e.g. <c>dropout</c>).</param>
    /// <param name="train">Training mode, for Init and Apply.</param>
    /// <param name="mutable">The collections Apply may update (e.g. <c>batch_stats</c> in training); none by default.</param>
    /// <exception cref="LayerAssertionException">A check failed.</exception>
    public static void AssertLaws(Module module, PrngKey key, Tensor input, bool checkGradients = true,
        Rngs? rngs = null, bool train = false, CollectionFilter? mutable = null)
    {
        AssertShapesAgree(module, key, input, rngs, train, mutable);
        AssertDeterministic(module, key, input, rngs: rngs, train: train, mutable: mutable);
        AssertNoLeaks(module, key, input, rngs, train, mutable);
        using var scope = NewDisposeScope();
        var variables = Run(nameof(AssertLaws), module, key, "Init", () => module.Init(InitRngs(key, rngs), input, train));
        AssertPure(module, variables, input, rngs, train, mutable);
        if (checkGradients) AssertGradMatchesFiniteDifferences(module, variables, input, rngs: rngs, train: train, mutable: mutable);
    }

    /// <summary>Runs one stage of a check, turning an exception of the module into a failure that names the check and stage.</summary>
    private static T Run<T>(string check, Module module, PrngKey? key, string stage, Func<T> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is not LayerAssertionException)
        {
            throw new LayerAssertionException(
                Message(check, module, $"{stage} threw {e.GetType().Name}: {e.Message}", key), e);
        }
    }

    /// <inheritdoc cref="Run{T}"/>
    private static void Run(string check, Module module, PrngKey? key, string stage, Action body) =>
        Run(check, module, key, stage, () => { body(); return true; });

    private static LayerAssertionException Failure(string check, Module module, string detail, PrngKey? key = null) =>
        new(Message(check, module, detail, key));

    private static string Message(string check, Module module, string detail, PrngKey? key) =>
        $"{check} failed for {ModuleText.Describe(module)}: {detail}" + (key is { } k ? $" Reproduce with key {k}." : "");
}
