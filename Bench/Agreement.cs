using System.Globalization;
using TorchSharp;
using Linen.Functional;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Bench;

/// <summary>Checks that a baseline computes the function it is compared with.</summary>
internal static class Agreement
{
    /// <summary>The note for a row: the largest absolute difference of the two outputs.</summary>
    public static string Note(Tensor linen, Tensor baseline)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var difference = (linen - baseline).abs().max().ToDouble();
        return "max |Δ output| " + difference.ToString("G2", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The variables with a random <c>head/kernel</c>: ViT initialises its head to zeros, which makes every output equal
    /// to the bias and the comparison of outputs meaningless.
    /// </summary>
    public static Variables WithRandomHead(Variables variables)
    {
        var kernel = variables.Params["head/kernel"];
        var random = TensorSample.Normal(PrngKey.FromSeed(7), kernel.shape).Mul(0.02);
        return variables.WithParams(variables.Params.SetItem("head/kernel", random));
    }
}
