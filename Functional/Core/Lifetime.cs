using TorchSharp;
using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>Something that owns tensors: a tree, variables, an optimizer or training state.</summary>
public interface ITensorContainer
{
    /// <summary>Every tensor it holds (a tensor may appear more than once).</summary>
    IEnumerable<Tensor> Tensors { get; }
}

/// <summary>
/// Tensor lifetimes for functional code. LibTorch memory is invisible to the .NET GC, so every
/// temporary must be freed explicitly (without it a training loop grows by gigabytes). These helpers
/// run a computation inside a dispose scope and let only the result's tensors escape.
/// </summary>
public static class Lifetime
{
    /// <summary>Runs <paramref name="body"/> in a fresh dispose scope; the tensors of its result move to the caller's scope, all others are freed.</summary>
    public static T Scoped<T>(Func<T> body) where T : ITensorContainer => Scoped(body, r => r.Tensors);

    /// <summary>Runs <paramref name="body"/> in a fresh dispose scope; the tensors named by <paramref name="survivors"/> move to the caller's scope, all others are freed.</summary>
    public static T Scoped<T>(Func<T> body, Func<T, IEnumerable<Tensor>> survivors)
    {
        using var scope = NewDisposeScope();
        var result = body();
        Escape(scope, survivors(result));
        return result;
    }

    /// <summary>
    /// One step of a loop over immutable state: runs <paramref name="step"/> on <paramref name="previous"/>
    /// in a fresh dispose scope, then frees every tensor of <paramref name="previous"/> and every temporary
    /// that the new state does not hold. <paramref name="previous"/> is consumed: do not use it, or views of it,
    /// afterwards. It is donated while <paramref name="step"/> runs (<see cref="Donation"/>): Adam and AdamW update
    /// the moments and parameters they made in an earlier step in place, as in-place PyTorch optimizers do.
    /// </summary>
    public static T Advance<T>(T previous, Func<T, T> step) where T : ITensorContainer =>
        Advance(previous, s => (step(s), 0)).State;

    /// <summary>As <see cref="Advance{T}(T, Func{T, T})"/>, with a value computed alongside (a loss, say) that holds no tensor.</summary>
    public static (T State, TValue Value) Advance<T, TValue>(T previous, Func<T, (T State, TValue Value)> step)
        where T : ITensorContainer
    {
        using var scope = NewDisposeScope();
        foreach (var t in previous.Tensors) if (!t.IsInvalid) t.MoveToOtherDisposeScope(scope);
        (T State, TValue Value) result;
        using (Donation.Of(previous.Tensors)) result = step(previous);
        Escape(scope, result.State.Tensors);
        return result;
    }

    /// <summary>
    /// Moves the given tensors that <paramref name="scope"/> owns to the enclosing scope. Tensors it does not
    /// own (handed through unchanged from outside) keep their owner: moving them would push them out of it.
    /// </summary>
    internal static void Escape(DisposeScope scope, IEnumerable<Tensor> tensors)
    {
        foreach (var t in tensors)
            if (scope.Contains(t)) scope.MoveToOuter(t);
    }
}
