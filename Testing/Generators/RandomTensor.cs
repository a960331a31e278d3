using Linen.Functional;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Testing;

/// <summary>
/// A float32 tensor described by its key, shape and distribution rather than by its values: generators
/// produce these (no tensor is allocated until <see cref="Create"/>), and a failing property prints the key
/// from which the very same values can be made again.
/// </summary>
/// <param name="Key">The key the values are drawn from.</param>
/// <param name="Shape">The shape.</param>
/// <param name="Values">The distribution.</param>
public sealed record RandomTensor(PrngKey Key, long[] Shape, TensorValues Values = TensorValues.Normal)
{
    /// <summary>The values, row-major: <c>Sample.Normal(Key, Shape)</c> or <c>Sample.Uniform(Key, Shape, -1, 1)</c>.</summary>
    public float[] Data() => Values switch
    {
        TensorValues.Uniform => Sample.Uniform(Key, Shape, -1f, 1f),
        _ => Sample.Normal(Key, Shape),
    };

    /// <summary>A new tensor with these values; the caller owns it.</summary>
    /// <param name="device">Where to create it (CPU when null).</param>
    public Tensor Create(Device? device = null) => tensor(Data(), Shape, ScalarType.Float32, device);

    /// <summary>For example <c>normal (2, 3) from PrngKey[0, 7]</c>.</summary>
    public override string ToString() => $"{Values.ToString().ToLowerInvariant()} {Shapes.Format(Shape)} from {Key}";
}
