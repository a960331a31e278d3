using Linen.Functional;
using static TorchSharp.torch;

namespace Linen.Layers;

/// <summary>Checks of an input against parameters already in the given variables.</summary>
internal static class StoredParams
{
    /// <summary>
    /// Throws when the variables hold parameter <paramref name="name"/> with another shape than this input needs, naming
    /// the layer path and both shapes (Flax fails later, inside the engine, with neither).
    /// </summary>
    /// <exception cref="InputShapeException">The stored shape differs from <paramref name="shape"/>.</exception>
    public static void RequireShape(this Scope scope, Module module, string name, long[] shape, Tensor input)
    {
        if (!scope.HasVariable(Variables.ParamsCollection, name)) return;
        var stored = Shapes.Of(scope.Read(Variables.ParamsCollection, name));
        if (!stored.AsSpan().SequenceEqual(shape))
            throw scope.ShapeError(module,
                $"an input of shape {Shapes.Format(input.shape)} needs '{name}' of shape {Shapes.Format(shape)}, " +
                $"but the given variables hold {Shapes.Format(stored)}. Were they made for inputs with another number of features?");
    }
}
