using Linen.Functional;
using Linen.Layers;
using static TorchSharp.torch;

namespace Linen.Models;

/// <summary>
/// ResNet (He et al. 2015) as in Flax's ImageNet example: <c>conv_init</c> 7×7/2 with <c>bn_init</c>, max-pool
/// 3×3/2, stages of residual blocks (the first block of each later stage strides by 2), global average pooling
/// and a <c>Dense</c> head. Batch norm keeps running statistics in <c>batch_stats</c> (momentum 0.9 as in the
/// example); apply with <c>train: true, mutable: "batch_stats"</c> to train.
/// </summary>
/// <param name="StageSizes">The number of blocks per stage.</param>
/// <param name="Bottleneck">Bottleneck blocks (ResNet-50 and up) instead of basic blocks.</param>
public sealed record ResNet(int[] StageSizes, bool Bottleneck) : Module
{
    /// <summary>The number of classes.</summary>
    public int Classes { get; init; } = 1000;

    /// <summary>The filters of the first stage; each later stage doubles them.</summary>
    public int NumFilters { get; init; } = 64;

    /// <summary>ResNet-18: basic blocks [2, 2, 2, 2].</summary>
    public static ResNet ResNet18(int classes = 1000) => new([2, 2, 2, 2], false) { Classes = classes };

    /// <summary>ResNet-34: basic blocks [3, 4, 6, 3].</summary>
    public static ResNet ResNet34(int classes = 1000) => new([3, 4, 6, 3], false) { Classes = classes };

    /// <summary>ResNet-50: bottleneck blocks [3, 4, 6, 3].</summary>
    public static ResNet ResNet50(int classes = 1000) => new([3, 4, 6, 3], true) { Classes = classes };

    /// <summary>Maps NHWC images to logits <c>(batch, Classes)</c>.</summary>
    /// <exception cref="InputShapeException">The input is not NHWC.</exception>
    public override Tensor Call(Scope scope, Tensor input)
    {
        if (input.ndim != 4) throw scope.ShapeError(this, $"expected NHWC input, got shape {Shapes.Format(input.shape)}.");
        var x = scope.Call(new Conv(NumFilters, [7, 7])
            { Strides = [2, 2], Padding = Padding.Explicit((3, 3), (3, 3)), UseBias = false, Name = "conv_init" }, input);
        x = scope.Call(ResNetBlock.Norm() with { Name = "bn_init" }, x).relu();
        x = Pooling.MaxPool(x, [3, 3], strides: [2, 2], padding: Padding.Same);
        for (int stage = 0; stage < StageSizes.Length; stage++)
            for (int j = 0; j < StageSizes[stage]; j++)
            {
                var strides = stage > 0 && j == 0 ? 2 : 1;
                x = scope.Call(new ResNetBlock(NumFilters << stage, strides, Bottleneck), x);
            }
        return scope.Call(new Dense(Classes), x.mean([1, 2]));
    }
}
