using Linen.Functional;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Linen.Tests.Functional;

/// <summary>Shared helpers for optimizer tests: small trees, stepping an optimizer, comparing values.</summary>
internal static class OptimTesting
{
    /// <summary>A tree with one leaf <c>w</c> holding <paramref name="values"/>.</summary>
    public static ParamTree Leaf(params float[] values) => ParamTree.CreateBuilder().Add("w", tensor(values)).ToImmutable();

    /// <summary>
    /// Runs <paramref name="tx"/> for one update per gradient (each a tree like <paramref name="parameters"/>) and
    /// returns the parameters after each step, flattened in traversal order.
    /// </summary>
    public static float[][] Steps(GradientTransformation tx, ParamTree parameters, params ParamTree[] grads)
    {
        var state = tx.Init(parameters);
        var result = new List<float[]>();
        foreach (var g in grads)
        {
            (var updates, state) = tx.Update(g, state, parameters);
            parameters = Optax.ApplyUpdates(parameters, updates);
            result.Add(parameters.Leaves.SelectMany(t => t.data<float>().ToArray()).ToArray());
        }
        return [.. result];
    }

    /// <summary>Asserts each step's values within <paramref name="tolerance"/> (absolute), naming step and index on failure.</summary>
    public static void AssertSteps(double[][] expected, float[][] actual, double tolerance = 2e-6)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int s = 0; s < expected.Length; s++)
        {
            Assert.Equal(expected[s].Length, actual[s].Length);
            for (int i = 0; i < expected[s].Length; i++)
                Assert.True(Math.Abs(expected[s][i] - actual[s][i]) <= tolerance,
                    $"step {s + 1}, element {i}: expected {expected[s][i]}, got {actual[s][i]}");
        }
    }

    /// <summary>
    /// Asserts that <see cref="GradientTransformation.UpdateAndApply"/> gave what Update then ApplyUpdates gave: the
    /// parameters to float32 rounding (a fused step rounds the update in another order), the state exactly.
    /// </summary>
    public static void AssertSameResult(ParamTree expectedParams, OptState expectedState, ParamTree actualParams, OptState actualState)
    {
        Assert.Equal(expectedParams.Paths, actualParams.Paths);
        foreach (var (path, expected) in expectedParams.Flatten())
        {
            var (e, a) = (expected.to_type(ScalarType.Float64).data<double>().ToArray(), actualParams[path].to_type(ScalarType.Float64).data<double>().ToArray());
            for (int i = 0; i < e.Length; i++)
                Assert.True(Math.Abs(e[i] - a[i]) <= 1e-7 + 1e-6 * Math.Abs(e[i]), $"{path}[{i}]: expected {e[i]}, got {a[i]}");
        }
        Assert.Equal(expectedState.GetType(), actualState.GetType());
        var (expectedDict, actualDict) = (Serialization.ToStateDict(expectedState), Serialization.ToStateDict(actualState));
        Assert.Equal(expectedDict.Paths, actualDict.Paths);
        Assert.All(expectedDict.Flatten(), kv => Assert.True(kv.Value.Equals(actualDict[kv.Key]), $"the states differ at {kv.Key}"));
    }

    /// <summary>The live-tensor count of this thread (TorchSharp's dispose-scope statistics).</summary>
    public static long LiveTensors => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    /// <summary>The gradient steps of the golden-value tests: g1, g2, g3 for a parameter <c>[1, −0.5]</c>.</summary>
    public static readonly ParamTree[] ThreeGrads = [Leaf(0.5f, -1f), Leaf(-0.25f, 2f), Leaf(1f, 0f)];

    /// <summary>The parameter of the golden-value tests.</summary>
    public static ParamTree StartParams => Leaf(1f, -0.5f);
}
