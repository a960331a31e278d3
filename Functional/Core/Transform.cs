using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>
/// Turns a function of a <see cref="Scope"/> into a pure init/apply pair (<c>flax.core.init</c>/<c>apply</c>).
/// Each call runs in its own dispose scope: the output and the returned variables escape to the caller's
/// scope, every temporary is freed. The inputs are never changed.
/// </summary>
public static class Transform
{
    /// <summary>Runs <paramref name="fn"/> with every collection mutable and returns its output and all variables it created.</summary>
    public static (T Output, Variables Variables) Init<T>(Rngs rngs, Func<Scope, T> fn, Device? device = null, bool train = false)
    {
        var root = new ScopeRoot(Variables.Empty, rngs, CollectionFilter.All, train, initializing: true, device ?? CPU);
        return Run(root, fn);
    }

    /// <summary>Runs <paramref name="fn"/> with the given variables, nothing mutable, and returns its output.</summary>
    /// <exception cref="InvalidVariablesStructureException">The variables are wrapped twice.</exception>
    public static T Apply<T>(Variables variables, Func<Scope, T> fn, Rngs? rngs = null, bool train = false) =>
        Apply(variables, fn, CollectionFilter.None, rngs, train).Output;

    /// <summary>Runs <paramref name="fn"/> and returns its output and the <paramref name="mutable"/> collections after the call.</summary>
    /// <exception cref="InvalidVariablesStructureException">The variables are wrapped twice.</exception>
    public static (T Output, Variables Mutated) Apply<T>(Variables variables, Func<Scope, T> fn, CollectionFilter mutable, Rngs? rngs = null, bool train = false)
    {
        if (variables.Params.Contains(Variables.ParamsCollection))
            throw new InvalidVariablesStructureException(
                "The 'params' collection contains a 'params' key: the variables are wrapped twice ({\"params\": {\"params\": …}}). " +
                "Pass the variables from Init as they are, or Variables.FromParams(params) for a bare parameter tree.");
        var device = variables.Tensors.FirstOrDefault()?.device ?? CPU;
        var root = new ScopeRoot(variables, rngs ?? Rngs.None, mutable, train, initializing: false, device);
        return Run(root, fn);
    }

    private static (T, Variables) Run<T>(ScopeRoot root, Func<Scope, T> fn)
    {
        using var scope = NewDisposeScope();
        var output = fn(Scope.CreateRoot(root));
        var mutated = root.MutatedCollections();
        Lifetime.Escape(scope, TensorsOf(output).Concat(mutated.Tensors));
        return (output, mutated);
    }

    /// <summary>The tensors in a result: a tensor, a container, a tuple or a sequence of them.</summary>
    internal static IEnumerable<Tensor> TensorsOf(object? value) => value switch
    {
        null => [],
        Tensor t => [t],
        ITensorContainer c => c.Tensors,
        ITuple tuple => Enumerable.Range(0, tuple.Length).SelectMany(i => TensorsOf(tuple[i])),
        IEnumerable<Tensor> ts => ts,
        System.Collections.IEnumerable items and not string => items.Cast<object?>().SelectMany(TensorsOf),
        _ => [],
    };
}
