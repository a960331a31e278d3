using FsCheck;
using FsCheck.Fluent;
using Linen.Functional;
using Linen.Prng;

namespace Linen.Testing;

/// <summary>
/// FsCheck generators for Linen's values: keys, shapes, tensors, parameter trees and layer test cases.
/// Tensors and trees are generated as descriptions (<see cref="RandomTensor"/>, <see cref="RandomTree"/>)
/// whose values come from a printed key, so a failing case can be rebuilt exactly and generation allocates
/// no tensor. <see cref="LinenArb"/> pairs these with shrinkers.
/// </summary>
public static class LinenGen
{
    private static readonly string[] LeafNames = ["kernel", "bias", "scale", "embedding", "mean", "var"];
    private static readonly string[] ModuleNames = ["Dense", "Conv", "LayerNorm", "Block"];

    /// <summary>
    /// Keys in either counter layout, or only in <paramref name="mode"/>: a quarter are
    /// <c>PrngKey.FromSeed(s)</c> keys with small seeds (the common case), the rest have arbitrary words.
    /// </summary>
    public static Gen<PrngKey> Keys(ThreefryMode? mode = null)
    {
        var words = from k0 in Word from k1 in Word select (K0: k0, K1: k1);
        var seeded = from seed in Gen.Choose(0, 1000) select (K0: 0u, K1: (uint)seed);
        var modes = mode is { } fixedMode ? Gen.Constant(fixedMode) : Gen.Elements(ThreefryMode.Partitionable, ThreefryMode.Legacy);
        return from w in Gen.Frequency((1, seeded), (3, words))
               from m in modes
               select new PrngKey(w.K0, w.K1, m);
    }

    /// <summary>Shapes within <paramref name="constraints"/> (<see cref="ShapeConstraints.Default"/> when null).</summary>
    /// <exception cref="ArgumentException">The constraints are unsatisfiable.</exception>
    public static Gen<long[]> Shapes(ShapeConstraints? constraints = null)
    {
        var c = constraints ?? ShapeConstraints.Default;
        c.Validate();
        // Dimensions are drawn one by one under the remaining element budget, then shuffled so that
        // no axis is favoured by coming first.
        return from rank in Gen.Choose(c.MinRank, c.FeasibleMaxRank())
               from dims in Dims(c, rank, c.MaxElements)
               from shuffled in Gen.Shuffle(dims)
               select shuffled;
    }

    /// <summary>Float32 tensors of one shape, values from a generated key.</summary>
    public static Gen<RandomTensor> Tensors(long[] shape, TensorValues values = TensorValues.Normal) =>
        Tensors(Gen.Constant(shape), values);

    /// <summary>Float32 tensors of generated shapes, values from a generated key.</summary>
    public static Gen<RandomTensor> Tensors(Gen<long[]> shapes, TensorValues values = TensorValues.Normal) =>
        from shape in shapes
        from key in Keys()
        select new RandomTensor(key, shape, values);

    /// <summary>
    /// Parameter trees of random nesting within <paramref name="constraints"/> (<see cref="TreeConstraints.Default"/>
    /// when null): leaves named like Flax's (<c>kernel</c>, <c>bias</c>, …), subtrees like modules (<c>Dense_0</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The constraints are unsatisfiable.</exception>
    public static Gen<RandomTree> Trees(TreeConstraints? constraints = null)
    {
        var c = constraints ?? TreeConstraints.Default;
        c.Validate();
        return from leaves in Node(c, "", 1)
               from key in Keys()
               select new RandomTree(key, leaves.OrderBy(l => l.Path, StringComparer.Ordinal).ToArray());
    }

    /// <summary>
    /// Test cases for a layer: a module from <paramref name="modules"/>, an input whose shape comes from
    /// <paramref name="inputShapes"/> for that module, and an init key.
    /// </summary>
    /// <param name="modules">The modules to test (vary the hyperparameters here).</param>
    /// <param name="inputShapes">The input shapes a module accepts.</param>
    /// <param name="values">The distribution of the input values.</param>
    public static Gen<LayerCase<TModule>> LayerCases<TModule>(
        Gen<TModule> modules, Func<TModule, Gen<long[]>> inputShapes, TensorValues values = TensorValues.Normal)
        where TModule : Module =>
        from module in modules
        from input in Tensors(inputShapes(module), values)
        from key in Keys()
        select new LayerCase<TModule>(module, key, input);

    private static Gen<uint> Word =>
        from hi in Gen.Choose(0, 0xFFFF)
        from lo in Gen.Choose(0, 0xFFFF)
        select ((uint)hi << 16) | (uint)lo;

    private static Gen<long[]> Dims(ShapeConstraints c, int remaining, long budget)
    {
        if (remaining == 0) return Gen.Constant(Array.Empty<long>());
        // The largest dimension that still leaves room for the smallest remaining ones.
        var upper = (int)Math.Min(c.MaxDim, budget / c.SmallestNumel(remaining - 1));
        return from d in Gen.Choose(c.MinDim, upper)
               from rest in Dims(c, remaining - 1, d == 0 ? long.MaxValue : budget / d)
               select (long[])[d, .. rest];
    }

    private static Gen<List<TreeLeaf>> Node(TreeConstraints c, string prefix, int depth)
    {
        var canNest = depth < c.MaxDepth;
        return from count in Gen.Choose(1, c.MaxChildren)
               from nested in Gen.ArrayOf(canNest ? Gen.Elements(false, false, true) : Gen.Constant(false), count)
               from leafNames in Gen.Shuffle(LeafNames)
               from moduleNames in Gen.ArrayOf(Gen.Elements(ModuleNames), count)
               from children in Gen.CollectToList(Enumerable.Range(0, count), i => nested[i]
                   ? Node(c, $"{prefix}{moduleNames[i]}_{i}/", depth + 1)
                   : from shape in Shapes(c.LeafShapes)
                     select new List<TreeLeaf> { new($"{prefix}{LeafName(leafNames, i)}", shape) })
               select children.SelectMany(l => l).ToList();
    }

    // Leaf names are distinct per node: a permutation of the Flax names, numbered once they run out.
    private static string LeafName(string[] names, int i) => i < names.Length ? names[i] : $"{names[i % names.Length]}{i}";
}
