using System.Globalization;
using System.Text.Json;
using Linen.Prng;
using Xunit;
using Xunit.Abstractions;

namespace Linen.Tests.Prng;

/// <summary>
/// Every known answer in <c>prng-vectors.json</c> (sources named in the file and in prng.md §10), one test case each.
/// Integer paths and <c>uniform</c> are compared bit for bit; <c>normal</c>, <c>truncated_normal</c> and <c>gumbel</c>
/// within 3 ulp (XLA:CPU's log and FMA are not pinned, prng.md §8); printed-precision vectors after rounding.
/// </summary>
public sealed class VectorTests(ITestOutputHelper output)
{
    private const int NormalUlps = 3;

    /// <summary>
    /// The four 2022-03 initializer doctests (commit d3d666d081) that prng.md §10 documents as NOT matching JAX's
    /// current arithmetic: the 2022 XLA erf_inv differed by 1 to 6 ulp. They are not skipped: at the indices the
    /// file lists under <c>ref_py_mismatches</c> we assert we equal our reference model bit for bit and stay within
    /// <see cref="StaleUlps"/> of the 2022 value; every other index must match within the usual 3 ulp.
    /// </summary>
    private static readonly HashSet<string> Stale2022 = ["init_normal_5", "glorot_normal", "lecun_normal", "he_normal"];

    private const int StaleUlps = 8;

    private static readonly Lazy<JsonElement[]> Vectors = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Prng", "prng-vectors.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
    });

    /// <summary>One case per vector, labelled by its name (with <c>#k</c> where the file repeats a name).</summary>
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        var seen = new Dictionary<string, int>();
        foreach (var v in Vectors.Value)
        {
            string name = v.GetProperty("name").GetString()!;
            int k = seen.GetValueOrDefault(name);
            seen[name] = k + 1;
            data.Add(Vectors.Value.Count(x => x.GetProperty("name").GetString() == name) > 1 ? $"{name}#{k}" : name);
        }

        return data;
    }

    [Fact]
    public void FileHoldsTheVectorsWeExpect()
    {
        // prng.md §10 speaks of 93 answers; this copy of the JSON holds 61 entries (the third-party MLX, jax-js and
        // TensorRT-Incubator vectors are not in it). Pin the count so a changed file is noticed.
        Assert.Equal(61, Vectors.Value.Length);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Reproduces(string label)
    {
        var v = Find(label);
        string name = v.GetProperty("name").GetString()!;
        string mode = v.GetProperty("mode").GetString()!;
        var input = v.GetProperty("input");
        var expected = v.GetProperty("expected");
        var m = mode == "legacy" ? ThreefryMode.Legacy : ThreefryMode.Partitionable;

        switch (name)
        {
            case "threefry2x32_kat":
            {
                var k = U32s(input.GetProperty("key"));
                var c = U32s(input.GetProperty("counter"));
                var (y0, y1) = Threefry2x32.Hash(k[0], k[1], c[0], c[1]);
                Assert.Equal(U32s(expected), new[] { y0, y1 });
                break;
            }

            case "seed_python_int_x32" or "seed_int32_typed" or "seed_uint32_typed":
                AssertKey(expected, PrngKey.FromSeed(input.GetProperty("seed").GetInt64()));
                break;
            case "seed_python_int_x64":
                AssertKey(expected, PrngKey.FromSeedX64(input.GetProperty("seed").GetInt64()));
                break;
            case "fold_in_seed0_4" or "fold_in_key42_4" or "fold_in_key42_5" or "fold_in_key0_0" or "fold_in_key0_1":
                AssertKey(expected, Seed(input, m).FoldIn(input.GetProperty("data").GetUInt32()));
                break;
            case "split4_seed0":
            {
                var keys = Seed(input, m).Split(input.GetProperty("num").GetInt32());
                var want = expected.EnumerateArray().ToArray();
                Assert.Equal(want.Length, keys.Length);
                for (int i = 0; i < keys.Length; i++)
                {
                    AssertKey(want[i], keys[i]);
                }

                break;
            }

            case var _ when name.StartsWith("bits_u", StringComparison.Ordinal):
                AssertBits(Seed(input, m), input, expected);
                break;
            case "randint_int32_seed0" or "randint_case":
                Assert.Equal(
                    expected.EnumerateArray().Select(e => e.GetInt32()),
                    Sample.RandInt(Seed(input, m), Shape(input), input.GetProperty("minval").GetInt32(), input.GetProperty("maxval").GetInt32()));
                break;
            case "randint_int64_seed0":
                Assert.Equal(
                    expected.EnumerateArray().Select(e => e.GetInt64()),
                    Sample.RandInt64(Seed(input, m), 9, input.GetProperty("minval").GetInt64(), input.GetProperty("maxval").GetInt64()));
                break;
            case "bernoulli_case":
                Assert.Equal(
                    expected.EnumerateArray().Select(e => e.GetBoolean()),
                    Sample.Bernoulli(Seed(input, m), Shape(input), (float)input.GetProperty("p").GetDouble()));
                break;
            case "uniform_case" or "uniform_key0_3" or "uniform_2x4_rawkey":
                AssertFloats(v, Sample.Uniform(Seed(input, m), Shape(input)), 0);
                break;
            case "uniform_3x3_minmax":
                AssertFloats(v, Sample.Uniform(Seed(input, m), Shape(input), (float)input.GetProperty("minval").GetDouble(), (float)input.GetProperty("maxval").GetDouble()), 0);
                break;
            case var _ when name.StartsWith("uniform_scalar_fold_in", StringComparison.Ordinal) || name.StartsWith("uniform5_fold_in", StringComparison.Ordinal):
                AssertFloats(v, Sample.Uniform(Seed(input, m).FoldIn(input.GetProperty("fold_in").GetUInt32()), Shape(input)), 0);
                break;
            case "normal_case":
                AssertFloats(v, Sample.Normal(Seed(input, m), Shape(input)), NormalUlps);
                break;
            case "truncated_normal_case":
                AssertFloats(v, Sample.TruncatedNormal(Seed(input, m), Shape(input), (float)input.GetProperty("lower").GetDouble(), (float)input.GetProperty("upper").GetDouble()), NormalUlps);
                break;
            case "gumbel_case":
                AssertFloats(v, Sample.Gumbel(Seed(input, m), Shape(input)), NormalUlps);
                break;
            case "split3_then_uniform_scalar":
            {
                // ks = split(fold_in(key(123),0), 3); out[i] = uniform(fold_in(ks[i],0), ())
                var ks = PrngKey.FromSeed(123, m).FoldIn(0).Split(3);
                AssertFloats(v, ks.Select(k => Sample.Uniform(k.FoldIn(0), 1)[0]).ToArray(), 0);
                break;
            }

            case "split2_then_randint":
            {
                var ks = PrngKey.FromSeed(123, m).FoldIn(0).Split(2);
                var want = expected.EnumerateArray().Select(r => r.EnumerateArray().Select(e => e.GetInt32()).ToArray()).ToArray();
                for (int i = 0; i < 2; i++)
                {
                    Assert.Equal(want[i], Sample.RandInt(ks[i].FoldIn(0), 2, 0, 10));
                }

                break;
            }

            case "iota_2x32_shape_3x4":
            {
                // The counter of element i is (hi[i], lo[i]): partitionable bits must be hash(hi, lo) folded by xor.
                var key = PrngKey.FromSeed(7);
                var hi = U32s(expected.GetProperty("hi"));
                var lo = U32s(expected.GetProperty("lo"));
                var bits = Sample.Bits(key, Shape(input));
                for (int i = 0; i < bits.Length; i++)
                {
                    var (a, b) = Threefry2x32.Hash(key.K0, key.K1, hi[i], lo[i]);
                    Assert.Equal(a ^ b, bits[i]);
                }

                break;
            }

            case "init_uniform_10":
                AssertFloats(v, Initializers.Uniform(10f)(Seed(input, m), Shape(input)), 0);
                break;
            case "glorot_uniform":
                AssertFloats(v, Initializers.GlorotUniform()(Seed(input, m), Shape(input)), 0);
                break;
            case "lecun_uniform":
                AssertFloats(v, Initializers.LecunUniform()(Seed(input, m), Shape(input)), 0);
                break;
            case "he_uniform":
                AssertFloats(v, Initializers.HeUniform()(Seed(input, m), Shape(input)), 0);
                break;
            case "init_truncated_normal_5":
                AssertFloats(v, Initializers.TruncatedNormal(5f)(Seed(input, m), Shape(input)), NormalUlps);
                break;
            case "init_normal_5":
                AssertFloats(v, Initializers.Normal(5f)(Seed(input, m), Shape(input)), NormalUlps);
                break;
            case "glorot_normal":
                AssertFloats(v, Initializers.GlorotNormal()(Seed(input, m), Shape(input)), NormalUlps);
                break;
            case "lecun_normal":
                AssertFloats(v, Initializers.LecunNormal()(Seed(input, m), Shape(input)), NormalUlps);
                break;
            case "he_normal":
                AssertFloats(v, Initializers.HeNormal()(Seed(input, m), Shape(input)), NormalUlps);
                break;
            default:
                Assert.Fail($"No test recipe for vector '{name}': add one.");
                break;
        }
    }

    private static JsonElement Find(string label)
    {
        int hash = label.LastIndexOf('#');
        string name = hash < 0 ? label : label[..hash];
        int k = hash < 0 ? 0 : int.Parse(label[(hash + 1)..], CultureInfo.InvariantCulture);
        return Vectors.Value.Where(x => x.GetProperty("name").GetString() == name).ElementAt(k);
    }

    private static PrngKey Seed(JsonElement input, ThreefryMode mode)
    {
        if (input.TryGetProperty("key_data", out var kd))
        {
            var w = U32s(kd);
            return new PrngKey(w[0], w[1], mode);
        }

        return PrngKey.FromSeed(input.GetProperty("seed").GetInt64(), mode);
    }

    private static long[] Shape(JsonElement input) =>
        input.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();

    private static uint[] U32s(JsonElement e) => e.EnumerateArray().Select(x => x.GetUInt32()).ToArray();

    private static void AssertKey(JsonElement expected, PrngKey key) =>
        Assert.Equal(U32s(expected), new[] { key.K0, key.K1 });

    private static void AssertBits(PrngKey key, JsonElement input, JsonElement expected)
    {
        var shape = Shape(input);
        switch (input.GetProperty("bit_width").GetInt32())
        {
            case 8:
                Assert.Equal(expected.EnumerateArray().Select(e => (byte)e.GetUInt32()), Sample.Bits8(key, shape));
                break;
            case 16:
                Assert.Equal(expected.EnumerateArray().Select(e => (ushort)e.GetUInt32()), Sample.Bits16(key, shape));
                break;
            case 32:
                Assert.Equal(U32s(expected), Sample.Bits(key, shape));
                break;
            default:
                Assert.Equal(expected.EnumerateArray().Select(e => e.GetUInt64()), Sample.Bits64(key, shape));
                break;
        }
    }

    /// <summary>Compares per the vector's <c>compare</c> field: bit equality (within <paramref name="ulps"/>) or rounding to N decimals.</summary>
    private void AssertFloats(JsonElement v, float[] actual, int ulps)
    {
        string name = v.GetProperty("name").GetString()!;
        string compare = v.GetProperty("compare").GetString()!;
        var expected = v.GetProperty("expected").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(expected.Length, actual.Length);

        if (compare.StartsWith("round to ", StringComparison.Ordinal))
        {
            int decimals = int.Parse(compare.Split(' ')[2], CultureInfo.InvariantCulture);
            for (int i = 0; i < expected.Length; i++)
            {
                double want = double.Parse(expected[i], CultureInfo.InvariantCulture);
                double got = Math.Round((double)actual[i], decimals, MidpointRounding.ToEven);
                Assert.True(Math.Abs(got - want) < 1e-9, $"{name}[{i}]: {actual[i]:R} rounds to {got} at {decimals} decimals, expected {expected[i]}");
            }

            return;
        }

        var refModel = new Dictionary<int, float>();
        if (Stale2022.Contains(name))
        {
            foreach (var mm in v.GetProperty("ref_py_mismatches").EnumerateArray())
            {
                refModel[mm.GetProperty("index").GetInt32()] = float.Parse(mm.GetProperty("ref_py").GetString()!, CultureInfo.InvariantCulture);
            }

            Assert.NotEmpty(refModel);
        }

        output.WriteLine($"{name}: ulp distances [{string.Join(", ", expected.Select((e, i) => UlpDistance(actual[i], float.Parse(e, CultureInfo.InvariantCulture))))}]");
        for (int i = 0; i < expected.Length; i++)
        {
            float want = float.Parse(expected[i], CultureInfo.InvariantCulture);
            long d = UlpDistance(actual[i], want);
            if (refModel.TryGetValue(i, out float model))
            {
                // Known stale 2022 value: we must equal our reference model exactly and stay near the old JAX value.
                Assert.True(BitConverter.SingleToInt32Bits(actual[i]) == BitConverter.SingleToInt32Bits(model),
                    $"{name}[{i}]: got {actual[i]:R}, reference model gives {model:R}");
                Assert.True(d <= StaleUlps, $"{name}[{i}]: {d} ulp from the 2022 JAX value {want:R} (allowed {StaleUlps})");
            }
            else
            {
                Assert.True(d <= ulps, $"{name}[{i}]: got {actual[i]:R}, expected {want:R} ({d} ulp apart, allowed {ulps})");
            }
        }
    }

    internal static long UlpDistance(float a, float b)
    {
        static long Ordered(float x)
        {
            int bits = BitConverter.SingleToInt32Bits(x);
            return bits < 0 ? int.MinValue - (long)bits : bits;
        }

        return Math.Abs(Ordered(a) - Ordered(b));
    }
}
