using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>
/// The state of a <see cref="GradientTransformation"/>: an immutable record of moment trees and step counts,
/// one record type per transformation (optax's state <c>NamedTuple</c>s, with the same field names).
/// Counts are <see cref="int"/>s that saturate at <see cref="int.MaxValue"/>, as optax's int32 counts do.
/// </summary>
public abstract record OptState : ITensorContainer
{
    IEnumerable<Tensor> ITensorContainer.Tensors => AllTensors;

    /// <summary>Every tensor the state holds.</summary>
    internal IEnumerable<Tensor> AllTensors => EnumerateTensors();

    /// <summary>Every tensor the state holds, for <see cref="ITensorContainer"/>.</summary>
    protected abstract IEnumerable<Tensor> EnumerateTensors();

    /// <summary>The state as the given type, or a clear error naming the transformation that expected it.</summary>
    internal T Expect<T>(string transformation) where T : OptState =>
        this as T ?? throw new ArgumentException(
            $"{transformation} expects a state of type {typeof(T).Name}, got {GetType().Name}: pass the state that this " +
            "transformation's Init (or previous Update) returned.", "state");

    /// <summary>Increments a step count as optax's <c>safe_increment</c> does: it stops at the largest int32.</summary>
    internal static int SafeIncrement(int count) => count == int.MaxValue ? count : count + 1;
}

/// <summary>The state of a transformation that keeps none (optax's <c>EmptyState</c>).</summary>
public sealed record EmptyState : OptState
{
    /// <summary>The one empty state.</summary>
    public static readonly EmptyState Instance = new();

    private EmptyState() { }

    /// <inheritdoc />
    protected override IEnumerable<Tensor> EnumerateTensors() => [];
}
