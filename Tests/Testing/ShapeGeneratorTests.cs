using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Linen.Testing;
using Linen.Functional;
using Xunit;

namespace Linen.Tests.Testing;

public class ShapeGeneratorTests
{
    /// <summary>Satisfiable constraints of every kind: scalars allowed or not, empty dimensions allowed or not, tight element caps.</summary>
    private static readonly Gen<ShapeConstraints> AnyConstraints =
        from minRank in Gen.Choose(0, 3)
        from maxRank in Gen.Choose(minRank, minRank + 3)
        from minDim in Gen.Choose(0, 3)
        from maxDim in Gen.Choose(minDim, minDim + 6)
        from slack in Gen.Choose(1, 40)
        select new ShapeConstraints
        {
            MinRank = minRank, MaxRank = maxRank, MinDim = minDim, MaxDim = maxDim,
            MaxElements = (long)Math.Pow(Math.Max(minDim, 1), minRank) * slack,
        };

    private static readonly Arbitrary<(ShapeConstraints Constraints, long[] Shape)> ConstrainedShapes =
        Arb.From(from c in AnyConstraints from s in LinenGen.Shapes(c) select (c, s));

    [Property(MaxTest = 300)]
    public Property ShapesRespectTheirConstraints() =>
        Prop.ForAll(ConstrainedShapes, cs => cs.Constraints.Accepts(cs.Shape)
            .Label($"{Shapes.Format(cs.Shape)} under {cs.Constraints}")
            .Classify(cs.Shape.Length == 0, "scalar")
            .Classify(Shapes.Numel(cs.Shape) == 0, "empty"));

    [Property(MaxTest = 200)]
    public Property ShrunkShapesStayWithinConstraintsAndGetSmaller() =>
        Prop.ForAll(ConstrainedShapes, cs => LinenShrink.Shape(cs.Shape, cs.Constraints).All(s =>
            cs.Constraints.Accepts(s)
            && (s.Length < cs.Shape.Length || (s.Length == cs.Shape.Length && s.Zip(cs.Shape).All(p => p.First <= p.Second) && s.Sum() < cs.Shape.Sum()))));

    [Fact]
    public void ShrinkingEndsAtTheSmallestShape()
    {
        var c = new ShapeConstraints { MinRank = 2, MaxRank = 4, MinDim = 2, MaxDim = 8 };
        long[] shape = [8, 7, 6, 5];
        for (var next = LinenShrink.Shape(shape, c).FirstOrDefault(); next is not null; next = LinenShrink.Shape(shape, c).FirstOrDefault())
            shape = next;
        Assert.Equal([2, 2], shape);
    }

    [Fact]
    public void UnsatisfiableConstraintsAreRejected()
    {
        var tooSmall = new ShapeConstraints { MinRank = 3, MinDim = 4, MaxElements = 63 };
        var e = Assert.Throws<ArgumentException>(() => LinenGen.Shapes(tooSmall));
        Assert.Equal($"No shape satisfies {tooSmall}: the smallest one, 3 dimensions of 4, has more than 63 elements.", e.Message);
        Assert.Throws<ArgumentException>(() => LinenGen.Shapes(new ShapeConstraints { MinRank = 3, MaxRank = 2 }));
        Assert.Throws<ArgumentException>(() => LinenGen.Shapes(new ShapeConstraints { MinDim = 5, MaxDim = 4 }));
    }

    [Property(Arbitrary = [typeof(LinenArb)], MaxTest = 100)]
    public bool RegisteredArbitrariesUseTheDefaults(long[] shape) => ShapeConstraints.Default.Accepts(shape);
}
