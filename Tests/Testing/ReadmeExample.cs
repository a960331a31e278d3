using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Linen.Testing;
using static TorchSharp.torch;

namespace Linen.Tests.Testing;

// The example of Testing/README.md, verbatim (ReadmeExampleTests checks that they match).
public class MyDenseProperties
{
    [Property(MaxTest = 25)]
    public Property MyDenseKeepsTheLayerLaws() =>
        Prop.ForAll(
            LinenArb.LayerCases(
                Gen.Choose(1, 8).Select(features => new MyDense(features)),
                dense => LinenGen.Shapes(new ShapeConstraints { MinRank = 2, MaxRank = 2 })),
            c =>
            {
                using var x = c.Input.Create();
                LayerAssert.AssertLaws(c.Module, c.Key, x);
            });
}
