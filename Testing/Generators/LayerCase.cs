using Linen.Prng;

namespace Linen.Testing;

/// <summary>One generated test case for a layer: the module, the key to initialise it with and its input.</summary>
/// <typeparam name="TModule">The module type.</typeparam>
/// <param name="Module">The module (its hyperparameters).</param>
/// <param name="Key">The <c>params</c> key for <c>Init</c>.</param>
/// <param name="Input">The input, reproducible from its own key.</param>
public sealed record LayerCase<TModule>(TModule Module, PrngKey Key, RandomTensor Input) where TModule : Functional.Module
{
    /// <summary>For example <c>MyDense { Features = 3 } on normal (2, 4) from PrngKey[0, 1], init key PrngKey[0, 7]</c>.</summary>
    public override string ToString() => $"{ModuleText.Describe(Module)} on {Input}, init key {Key}";
}
