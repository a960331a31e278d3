using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>One submodule call as an <see cref="IModuleInterceptor"/> sees it.</summary>
/// <param name="Scope">The submodule's scope for this call: its <see cref="Scope.Path"/>, mode and variables.</param>
/// <param name="Module">The submodule.</param>
/// <param name="Input">The input of <see cref="Scope.Call"/>; null for <see cref="Scope.Bind{T}"/>, whose body takes what it likes.</param>
public sealed record ModuleCall(Scope Scope, Module Module, Tensor? Input);

/// <summary>
/// Wraps every submodule call while registered with <see cref="ModuleInterception.Use"/> (Flax's
/// <c>nn.intercept_methods</c>): to record shapes, time calls or log paths.
/// </summary>
public interface IModuleInterceptor
{
    /// <summary>
    /// Runs one submodule call: call <paramref name="next"/> (once) to run it, and return its result. A
    /// <see cref="Scope.Call"/> frees the tensors made during it except its result and the variables written, so a
    /// tensor the interceptor makes and keeps past the call must leave with <c>MoveToOuterDisposeScope()</c>.
    /// </summary>
    /// <param name="call">The call.</param>
    /// <param name="next">The call itself, or the next interceptor registered before this one.</param>
    /// <typeparam name="T">The call's result: a <see cref="Tensor"/> for <see cref="Scope.Call"/>.</typeparam>
    T Intercept<T>(ModuleCall call, Func<T> next);
}

/// <summary>
/// Registers <see cref="IModuleInterceptor"/>s for the current thread and async flow only, so concurrent
/// Init/Apply calls elsewhere are not seen. Registrations nest: the latest wraps the earlier ones.
/// </summary>
public static class ModuleInterception
{
    private static readonly AsyncLocal<Registration?> Latest = new();

    // Live registrations on any flow: while zero, Scope's hook costs one static read, not an AsyncLocal lookup.
    private static int _live;

    /// <summary>
    /// Sees every submodule call (<see cref="Scope.Call"/>, <see cref="Scope.Bind{T}"/>) of this flow until disposed.
    /// The module given to Init or Apply is not called by a scope, so it is not seen.
    /// </summary>
    /// <param name="interceptor">The interceptor.</param>
    /// <returns>Disposing it ends the registration; registrations end in reverse order.</returns>
    public static IDisposable Use(IModuleInterceptor interceptor)
    {
        ArgumentNullException.ThrowIfNull(interceptor);
        var registration = new Registration(interceptor, Latest.Value);
        Interlocked.Increment(ref _live);
        Latest.Value = registration;
        return registration;
    }

    /// <summary>Runs <paramref name="body"/> in <paramref name="scope"/>, through this flow's interceptors if any.</summary>
    internal static T Run<T>(Scope scope, Module module, Tensor? input, Func<Scope, T> body)
    {
        var registration = Volatile.Read(ref _live) == 0 ? null : Latest.Value;
        return registration is null ? body(scope) : registration.Run(new ModuleCall(scope, module, input), body);
    }

    private sealed class Registration(IModuleInterceptor interceptor, Registration? earlier) : IDisposable
    {
        private bool _disposed;

        public T Run<T>(ModuleCall call, Func<Scope, T> body) =>
            interceptor.Intercept<T>(call, earlier is null ? () => body(call.Scope) : () => earlier.Run(call, body));

        public void Dispose()
        {
            if (_disposed) return;
            if (Latest.Value != this)
                throw new InvalidOperationException(
                    "Module interceptors must be disposed in reverse order of registration, on the flow that registered them.");
            _disposed = true;
            Latest.Value = earlier;
            Interlocked.Decrement(ref _live);
        }
    }
}
