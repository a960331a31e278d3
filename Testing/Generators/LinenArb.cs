using FsCheck;
using FsCheck.Fluent;
using Linen.Prng;

namespace Linen.Testing;

/// <summary>
/// FsCheck arbitraries (generator plus shrinker) for Linen's values. The parameterless ones use the default
/// constraints and can be registered for a whole test: <c>[Property(Arbitrary = new[] { typeof(LinenArb) })]</c>
/// then supplies <see cref="PrngKey"/>, <c>long[]</c> shapes, <see cref="RandomTensor"/> and <see cref="RandomTree"/>
/// arguments. The overloads with constraints are for <c>Prop.ForAll</c>.
/// </summary>
public static class LinenArb
{
    /// <summary>Keys of both counter layouts, shrinking towards <c>PrngKey.FromSeed(0)</c>.</summary>
    public static Arbitrary<PrngKey> Keys() => Keys(null);

    /// <summary>Keys (of one layout when <paramref name="mode"/> is given), shrinking towards seed 0.</summary>
    public static Arbitrary<PrngKey> Keys(ThreefryMode? mode) =>
        Arb.From(LinenGen.Keys(mode), k => LinenShrink.Key(k, keepMode: mode is not null));

    /// <summary>Shapes within <see cref="ShapeConstraints.Default"/>.</summary>
    public static Arbitrary<long[]> Shapes() => Shapes(ShapeConstraints.Default);

    /// <summary>Shapes within <paramref name="constraints"/>, shrinking within them.</summary>
    /// <exception cref="ArgumentException">The constraints are unsatisfiable.</exception>
    public static Arbitrary<long[]> Shapes(ShapeConstraints constraints) =>
        Arb.From(LinenGen.Shapes(constraints), s => LinenShrink.Shape(s, constraints));

    /// <summary>Normal float32 tensors of shapes within <see cref="ShapeConstraints.Default"/>.</summary>
    public static Arbitrary<RandomTensor> Tensors() => Tensors(ShapeConstraints.Default);

    /// <summary>Float32 tensors of shapes within <paramref name="constraints"/>, shrinking the shape and key.</summary>
    /// <exception cref="ArgumentException">The constraints are unsatisfiable.</exception>
    public static Arbitrary<RandomTensor> Tensors(ShapeConstraints constraints, TensorValues values = TensorValues.Normal) =>
        Arb.From(LinenGen.Tensors(LinenGen.Shapes(constraints), values), t => LinenShrink.Tensor(t, constraints));

    /// <summary>Parameter trees within <see cref="TreeConstraints.Default"/>.</summary>
    public static Arbitrary<RandomTree> Trees() => Trees(TreeConstraints.Default);

    /// <summary>Parameter trees within <paramref name="constraints"/>, shrinking within them.</summary>
    /// <exception cref="ArgumentException">The constraints are unsatisfiable.</exception>
    public static Arbitrary<RandomTree> Trees(TreeConstraints constraints) =>
        Arb.From(LinenGen.Trees(constraints), t => LinenShrink.Tree(t, constraints));

    /// <summary>
    /// Layer test cases (see <see cref="LinenGen.LayerCases{TModule}"/>). They are not shrunk: which smaller
    /// inputs a module accepts is known only to its author, and an invalid shrink would hide the real failure.
    /// </summary>
    public static Arbitrary<LayerCase<TModule>> LayerCases<TModule>(
        Gen<TModule> modules, Func<TModule, Gen<long[]>> inputShapes, TensorValues values = TensorValues.Normal)
        where TModule : Functional.Module =>
        Arb.From(LinenGen.LayerCases(modules, inputShapes, values));
}
