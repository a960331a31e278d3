using Linen.Functional;
using static TorchSharp.torch;

namespace Linen.Layers;

/// <summary>
/// A chain of layers (<c>flax.linen.Sequential</c>): each layer's output is the next one's input. As in Flax,
/// the layers are adopted under the names <c>layers_0</c>, <c>layers_1</c>, … by their index in the list (every
/// entry counts, <see cref="Activation"/>s included), whatever their own <see cref="Module.Name"/>; the same layer
/// instance listed twice is one layer named after its first index, so it shares its parameters.
/// </summary>
public sealed record Sequential : Module
{
    /// <summary>Creates the chain.</summary>
    /// <param name="layers">The layers, applied in order.</param>
    public Sequential(params IEnumerable<Module> layers) => Layers = [.. layers];

    /// <summary>The layers, applied in order.</summary>
    public IReadOnlyList<Module> Layers { get; }

    /// <summary>Runs the layers in order on <paramref name="input"/>.</summary>
    /// <exception cref="InvalidOperationException">The chain has no layers.</exception>
    public override Tensor Call(Scope scope, Tensor input)
    {
        if (Layers.Count == 0)
            throw new InvalidOperationException($"Empty {TypeName} module at '{scope.PathText}': give it at least one layer.");
        var adopted = new Module[Layers.Count];
        for (var i = 0; i < Layers.Count; i++)
        {
            var first = Layers.Select((layer, index) => (layer, index)).First(l => ReferenceEquals(l.layer, Layers[i])).index;
            adopted[i] = first < i ? adopted[first] : Layers[i] with { Name = $"layers_{i}" };
        }
        return adopted.Aggregate(input, (x, layer) => scope.Call(layer, x));
    }
}
