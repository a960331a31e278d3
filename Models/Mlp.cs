using Linen.Functional;
using Linen.Layers;
using static TorchSharp.torch;

namespace Linen.Models;

/// <summary>
/// The MNIST tutorial's multilayer perceptron: the input flattened per example, then <see cref="Dense"/> layers
/// of <see cref="Features"/> (default 300, 300, 10) with SELU between them. Output: logits.
/// </summary>
public sealed record Mlp : Module
{
    /// <summary>The width of each layer; the last is the number of classes.</summary>
    public IReadOnlyList<int> Features { get; init; } = [300, 300, 10];

    /// <summary>Maps <paramref name="input"/> <c>(batch, …)</c> to logits <c>(batch, Features[^1])</c>.</summary>
    /// <exception cref="InputShapeException">The input has no batch axis.</exception>
    public override Tensor Call(Scope scope, Tensor input)
    {
        if (input.ndim < 2) throw scope.ShapeError(this, $"expected (batch, …) input, got shape {Shapes.Format(input.shape)}.");
        var x = input.reshape(input.size(0), -1);
        for (int i = 0; i < Features.Count; i++)
        {
            x = scope.Call(new Dense(Features[i]), x);
            if (i < Features.Count - 1) x = Activations.Selu(x);
        }
        return x;
    }
}
