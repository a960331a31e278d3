using Linen.Functional;
using Linen.Layers;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Models;

/// <summary>
/// A residual block of Flax's ResNet example: basic (3×3, 3×3) or bottleneck (1×1, 3×3, 1×1 with 4× expansion),
/// each convolution followed by batch norm, the last norm's scale initialised to zero; a 1×1 <c>conv_proj</c>
/// with <c>norm_proj</c> on the shortcut when the shape changes. Named <c>ResNetBlock_k</c> or
/// <c>BottleneckResNetBlock_k</c> as in Flax.
/// </summary>
/// <param name="Filters">The block's filters (its output has 4× as many when <paramref name="Bottleneck"/>).</param>
/// <param name="Strides">The spatial stride of the block.</param>
/// <param name="Bottleneck">A bottleneck block.</param>
public sealed record ResNetBlock(int Filters, int Strides, bool Bottleneck) : Module
{
    /// <inheritdoc />
    public override string TypeName => Bottleneck ? "BottleneckResNetBlock" : "ResNetBlock";

    /// <summary>The example's batch norm: momentum 0.9, epsilon 1e-5.</summary>
    internal static BatchNorm Norm() => new() { Momentum = 0.9, Epsilon = 1e-5 };

    /// <summary>Runs the block on NHWC <paramref name="input"/>.</summary>
    public override Tensor Call(Scope scope, Tensor input)
    {
        int[] strides = [Strides, Strides];
        var y = input;
        (int Features, int Kernel, int[]? Strides)[] convs = Bottleneck
            ? [(Filters, 1, null), (Filters, 3, strides), (Filters * 4, 1, null)]
            : [(Filters, 3, strides), (Filters, 3, null)];
        for (int i = 0; i < convs.Length; i++)
        {
            var (features, kernel, convStrides) = convs[i];
            y = scope.Call(new Conv(features, [kernel, kernel]) { Strides = convStrides, UseBias = false }, y);
            var last = i == convs.Length - 1;
            y = scope.Call(last ? Norm() with { ScaleInit = Initializers.Zeros } : Norm(), y);
            if (!last) y = y.relu();
        }
        var residual = input;
        if (!residual.shape.SequenceEqual(y.shape))
        {
            residual = scope.Call(new Conv((int)y.shape[^1], [1, 1]) { Strides = strides, UseBias = false, Name = "conv_proj" }, residual);
            residual = scope.Call(Norm() with { Name = "norm_proj" }, residual);
        }
        return residual.Add(y).relu();
    }
}
