using TorchSharp;
using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>Runs optimizer and training code as a pure function: no autograd recording, temporaries freed.</summary>
internal static class Pure
{
    /// <summary>
    /// Runs <paramref name="body"/> under <c>no_grad</c> in a fresh dispose scope. The result's tensors that the
    /// scope owns (the ones just created) move to the caller's scope; tensors handed through unchanged keep their
    /// owner, and everything else is freed.
    /// </summary>
    internal static T Run<T>(Func<T> body, Func<T, IEnumerable<Tensor>> outputs)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var result = body();
        Lifetime.Escape(scope, outputs(result));
        return result;
    }
}
