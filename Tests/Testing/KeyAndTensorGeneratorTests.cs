using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Linen.Prng;
using Linen.Testing;
using Xunit;
using static TorchSharp.torch;

namespace Linen.Tests.Testing;

public class KeyAndTensorGeneratorTests
{
    [Fact]
    public void KeysComeInBothLayoutsUnlessOneIsAsked()
    {
        var keys = LinenGen.Keys().Sample(50, 400);
        Assert.Contains(keys, k => k.Mode == ThreefryMode.Legacy);
        Assert.Contains(keys, k => k.Mode == ThreefryMode.Partitionable);
        Assert.Contains(keys, k => k.K0 == 0);
        Assert.Contains(keys, k => k.K0 > int.MaxValue && k.K1 > int.MaxValue);
        Assert.All(LinenGen.Keys(ThreefryMode.Legacy).Sample(50, 100), k => Assert.Equal(ThreefryMode.Legacy, k.Mode));
    }

    [Property(Arbitrary = [typeof(LinenArb)], MaxTest = 200)]
    public bool KeysShrinkTowardsSeedZero(PrngKey key)
    {
        var steps = 0;
        for (var next = First(key); next is { } k; next = First(key), steps++)
            key = k;
        return key == PrngKey.FromSeed(0) && steps <= 34;
    }

    private static PrngKey? First(PrngKey key) => LinenShrink.Key(key).Cast<PrngKey?>().FirstOrDefault();

    [Property(MaxTest = 100)]
    public Property KeyShrinkingKeepsAFixedLayout() =>
        Prop.ForAll(LinenArb.Keys(ThreefryMode.Legacy), k => LinenShrink.Key(k, keepMode: true).All(s => s.Mode == ThreefryMode.Legacy));

    [Property(Arbitrary = [typeof(LinenArb)], MaxTest = 100)]
    public bool TensorsAreTheirKeysSamples(RandomTensor t)
    {
        using var scope = NewDisposeScope();
        var created = t.Create();
        return created.dtype == ScalarType.Float32
            && created.shape.SequenceEqual(t.Shape)
            && created.data<float>().ToArray().SequenceEqual(Sample.Normal(t.Key, t.Shape))
            && created.Equals(t.Create());
    }

    [Property(MaxTest = 100)]
    public Property UniformTensorsLieInMinusOneToOne() =>
        Prop.ForAll(LinenArb.Tensors(ShapeConstraints.Default, TensorValues.Uniform), t => t.Data().All(v => v >= -1f && v < 1f));

    [Fact]
    public void TensorsPrintWhatRebuildsThem()
    {
        var t = new RandomTensor(new PrngKey(0, 7), [2, 3]);
        Assert.Equal("normal (2, 3) from PrngKey[0, 7]", t.ToString());
        Assert.Equal("uniform (4,) from PrngKey[1, 2, Legacy]", new RandomTensor(new PrngKey(1, 2, ThreefryMode.Legacy), [4], TensorValues.Uniform).ToString());
    }

    [Property(MaxTest = 100)]
    public Property LayerCaseInputsComeFromTheModulesShapes() =>
        Prop.ForAll(
            LinenArb.LayerCases(Gen.Choose(1, 6).Select(f => new MyDense(f)), m => Gen.Choose(1, 4).Select(b => new long[] { b, m.Features + 1 })),
            c => c.Input.Shape.Length == 2 && c.Input.Shape[1] == c.Module.Features + 1);
}
