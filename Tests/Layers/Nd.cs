using static TorchSharp.torch;

namespace Linen.Tests.Layers;

/// <summary>A row-major array for the plain-loop references.</summary>
internal sealed record Nd(float[] Data, long[] Shape)
{
    public static Nd Zeros(params long[] shape) => new(new float[Numel(shape)], shape);

    public static Nd Of(Tensor t) => new(TestValues.Values(t), t.shape);

    /// <summary>Uniform values in [-1, 1) from a seeded generator.</summary>
    public static Nd Random(int seed, params long[] shape)
    {
        var random = new System.Random(seed);
        return new([.. Enumerable.Range(0, (int)Numel(shape)).Select(_ => random.NextSingle() * 2 - 1)], shape);
    }

    public Tensor ToTensor() => tensor(Data, Shape);

    public float this[long[] index]
    {
        get => Data[Offset(Shape, index)];
        set => Data[Offset(Shape, index)] = value;
    }

    public static long Numel(long[] shape) => shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Every multi-index of a shape, in row-major order.</summary>
    public static IEnumerable<long[]> Indices(long[] shape)
    {
        if (shape.Any(d => d == 0)) yield break;
        var index = new long[shape.Length];
        while (true)
        {
            yield return (long[])index.Clone();
            var d = shape.Length - 1;
            while (d >= 0 && ++index[d] == shape[d]) index[d--] = 0;
            if (d < 0) yield break;
        }
    }

    /// <summary>The row-major position of a multi-index.</summary>
    public static long Offset(long[] shape, long[] index)
    {
        long offset = 0;
        for (var d = 0; d < shape.Length; d++) offset = offset * shape[d] + index[d];
        return offset;
    }
}
