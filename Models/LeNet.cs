using Linen.Functional;
using Linen.Layers;
using static TorchSharp.torch;

namespace Linen.Models;

/// <summary>
/// LeNet-5 as in the MNIST tutorial: conv 5×5×6, max-pool 2×2/2, conv 5×5×16, max-pool, dense 120, 84 and
/// <see cref="Classes"/>, ReLU between. The convolutions use <c>VALID</c> padding: only then does a 28×28 input
/// flatten to the tutorial's 16·4·4 = 256 features (Flax's default <c>SAME</c> would give 16·7·7), which is the
/// real LeNet-5 geometry.
/// </summary>
public sealed record LeNet : Module
{
    /// <summary>The number of classes (default 10).</summary>
    public int Classes { get; init; } = 10;

    /// <summary>Maps NHWC images <c>(batch, 28, 28, channels)</c> to logits <c>(batch, Classes)</c>.</summary>
    /// <exception cref="InputShapeException">The input is not NHWC.</exception>
    public override Tensor Call(Scope scope, Tensor input)
    {
        if (input.ndim != 4) throw scope.ShapeError(this, $"expected NHWC input (batch, height, width, channels), got shape {Shapes.Format(input.shape)}.");
        var x = input;
        foreach (var features in (int[])[6, 16])
        {
            x = scope.Call(new Conv(features, [5, 5]) { Padding = Padding.Valid }, x).relu();
            x = Pooling.MaxPool(x, [2, 2], strides: [2, 2]);
        }
        x = x.reshape(x.size(0), -1);
        x = scope.Call(new Dense(120), x).relu();
        x = scope.Call(new Dense(84), x).relu();
        return scope.Call(new Dense(Classes), x);
    }
}
