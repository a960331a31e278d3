using Linen.Functional;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Testing;

public static partial class LayerAssert
{
    // How every check calls the module, so that layers that need other streams (dropout), training mode or mutable
    // state (BatchNorm's batch_stats) are checked in the mode they are used in.

    /// <summary>The keys for Init: <paramref name="key"/> as the <c>params</c> stream, beside the other streams of <paramref name="rngs"/>.</summary>
    private static Rngs InitRngs(PrngKey key, Rngs? rngs) => (rngs ?? Rngs.None).With(Variables.ParamsCollection, key);

    /// <summary>Apply's output, with the <paramref name="mutable"/> collections updatable when any are given.</summary>
    private static Tensor ApplyOutput(Module module, Variables variables, Tensor input, Rngs? rngs, bool train, CollectionFilter? mutable) =>
        mutable is null || mutable.IsNone
            ? module.Apply(variables, input, rngs, train)
            : module.Apply(variables, input, mutable, rngs, train).Output;

    /// <summary>
    /// One Apply whose results are all freed again: the output and the updated variables it made. The variables it
    /// returns unchanged are the caller's tensors (the same objects), so those stay alive.
    /// </summary>
    private static void ApplyAndDispose(Module module, Variables variables, Tensor input, Rngs? rngs, bool train, CollectionFilter? mutable)
    {
        if (mutable is null || mutable.IsNone)
        {
            DisposeOutput(module.Apply(variables, input, rngs, train), input);
            return;
        }
        var (output, mutated) = module.Apply(variables, input, mutable, rngs, train);
        DisposeOutput(output, input);
        var given = variables.Tensors.ToHashSet(ReferenceEqualityComparer.Instance);
        foreach (var made in mutated.Tensors.Where(t => !given.Contains(t))) made.Dispose();
    }

    /// <summary>Frees an output, unless it is the caller's input itself (an identity layer may return it).</summary>
    private static void DisposeOutput(Tensor output, Tensor input)
    {
        if (!ReferenceEquals(output, input)) output.Dispose();
    }
}
