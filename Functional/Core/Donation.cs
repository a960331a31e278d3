using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>
/// Buffer donation, as JAX's <c>donate_argnums</c>: while <see cref="Lifetime.Advance{T}(T, Func{T, T})"/> runs a step,
/// the state it consumes is donated, and an optimizer may write the new moments and parameters into the old buffers
/// instead of new ones, since nothing may use the old state afterwards. Only buffers an optimizer made itself
/// (<see cref="HandOver"/>) and that appear once in the donated state qualify, so a tree the user built, a leaf
/// shared between paths or a checkpoint's tensors are never overwritten; outside Advance every update is out of place.
/// </summary>
internal static class Donation
{
    private static readonly ConditionalWeakTable<Tensor, object> Exclusive = [];
    private static readonly object Mark = new();

    [ThreadStatic] private static HashSet<Tensor>? _donated;

    /// <summary>Donates <paramref name="tensors"/> (those listed once) on this thread until the result is disposed.</summary>
    public static IDisposable Of(IEnumerable<Tensor> tensors)
    {
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var repeated = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var t in tensors)
            if (!seen.Add(t)) repeated.Add(t);
        seen.ExceptWith(repeated);
        var restore = new Restore(_donated);
        _donated = seen;
        return restore;
    }

    /// <summary>Whether <paramref name="t"/> may be overwritten: donated, made by an optimizer, and not requiring grad.</summary>
    public static bool CanOverwrite(Tensor t) =>
        _donated is { } donated && donated.Contains(t) && Exclusive.TryGetValue(t, out _) && !t.requires_grad;

    /// <summary>
    /// An optimizer's result for the new state, recorded as a buffer only that state refers to. A buffer written in
    /// place (<paramref name="overwritten"/>) goes out under a new handle: Advance then frees the old one, so a
    /// reference the caller kept to the consumed state fails loudly, as before, instead of seeing the new values.
    /// </summary>
    public static Tensor HandOver(Tensor t, bool overwritten)
    {
        var result = overwritten ? t.detach() : t;
        Exclusive.AddOrUpdate(result, Mark);
        return result;
    }

    private sealed class Restore(HashSet<Tensor>? previous) : IDisposable
    {
        public void Dispose() => _donated = previous;
    }
}
