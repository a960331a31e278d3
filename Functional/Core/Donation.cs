using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>
/// Buffer donation, as JAX's <c>donate_argnums</c>: while <see cref="Lifetime.Advance{T}(T, Func{T, T})"/> runs a step,
/// the state it consumes is donated, and an optimizer may write the new moments and parameters into the old buffers
/// instead of new ones, since nothing may use the old state afterwards. Only buffers an optimizer made itself
/// (<see cref="MarkExclusive"/>) and that appear once in the donated state qualify, so a tree the user built, a leaf
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

    /// <summary>Records that <paramref name="t"/> is a fresh buffer that only the state holding it refers to.</summary>
    public static Tensor MarkExclusive(Tensor t)
    {
        Exclusive.AddOrUpdate(t, Mark);
        return t;
    }

    private sealed class Restore(HashSet<Tensor>? previous) : IDisposable
    {
        public void Dispose() => _donated = previous;
    }
}
