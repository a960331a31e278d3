using Linen.Functional;
using Linen.Prng;
using Xunit;
using static TorchSharp.torch;

namespace Linen.Tests.Functional;

/// <summary>
/// The managed Adam kernel against the same formulas evaluated by LibTorch in float64, over sizes that exercise the
/// vector loop, its scalar tail, both, and the split over threads.
/// </summary>
public class AdamKernelTests
{
    public static TheoryData<int, bool, bool, double> Cases => new()
    {
        // size, Nesterov, AdamW decay, eps_root
        { 1, false, false, 0 }, { 7, false, true, 0 }, { 8, true, false, 1e-4 }, { 19, true, true, 0 }, { 1000, false, false, 1e-4 },
        { 1000, true, true, 1e-4 },
        // Several grains: split over LibTorch's threads, chunk ends inside the vector loop's range.
        { 100_003, false, true, 1e-4 }, { 100_003, true, false, 0 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void StepMatchesTheFormulasInFloat64(int size, bool nesterov, bool decays, double epsRoot)
    {
        using var scope = NewDisposeScope();
        Tensor Random(uint seed, double scale) => TensorSample.Normal(PrngKey.FromSeed(seed), [size]).Mul(scale);
        var (g, m, v, p) = (Random(1, 1), Random(2, 0.1), Random(3, 0.01).abs(), Random(4, 1));
        const int count = 3;
        const double b1 = 0.9, b2 = 0.999, eps = 1e-3, lr = 0.05, wd = 0.1;
        var (c1, c1Next, c2) = (Optax.BiasCorrection(b1, count), Optax.BiasCorrection(b1, count + 1), Optax.BiasCorrection(b2, count));
        var constants = new AdamKernel.Constants((float)b1, (float)(1 - b1), (float)b2, (float)(1 - b2), c2, (float)eps, (float)epsRoot,
            (float)(nesterov ? -lr : -lr / c1), decays, (float)(-lr * wd), nesterov, c1Next, c1);
        var (mOut, vOut, pOut) = (empty_like(m), empty_like(v), empty_like(p));
        Assert.True(AdamKernel.Applies(g, m, v, p));
        AdamKernel.Step(constants, g, m, v, p, mOut, vOut, pOut);

        var (g64, m64, v64, p64) = (g.to_type(ScalarType.Float64), m.to_type(ScalarType.Float64), v.to_type(ScalarType.Float64), p.to_type(ScalarType.Float64));
        var mNext = m64.Mul(b1).Add(g64.Mul(1 - b1));
        var vNext = v64.Mul(b2).Add(g64.Square().Mul(1 - b2));
        var corrected = nesterov ? mNext.Div(c1Next).Mul(b1).Add(g64.Div(c1).Mul(1 - b1)) : mNext.Div(c1);
        var pNext = p64.Add(corrected.div(vNext.Div(c2).Add(epsRoot).sqrt().Add(eps)).Mul(-lr));
        if (decays) pNext = pNext.Add(p64.Mul(-lr * wd));
        AssertClose(mNext, mOut);
        AssertClose(vNext, vOut);
        AssertClose(pNext, pOut);

        // In place: the same bits.
        AdamKernel.Step(constants, g, m, v, p, m, v, p);
        Assert.True(m.eq(mOut).all().item<bool>() && v.eq(vOut).all().item<bool>() && p.eq(pOut).all().item<bool>());
    }

    [Fact]
    public void OnlyContiguousFloat32CpuTensorsOfOneSizeApply()
    {
        using var scope = NewDisposeScope();
        var x = ones(3, 4);
        Assert.True(AdamKernel.Applies(x, ones(12)));
        Assert.False(AdamKernel.Applies(x, ones(4, 3).t()));
        Assert.False(AdamKernel.Applies(x, ones(3, 4, ScalarType.Float64)));
        Assert.False(AdamKernel.Applies(x, ones(11)));
    }

    private static void AssertClose(Tensor expected, Tensor actual) =>
        Assert.True(actual.to_type(ScalarType.Float64).allclose(expected, rtol: 1e-6, atol: 1e-7),
            $"max |difference| {actual.to_type(ScalarType.Float64).Add(expected.neg()).abs().max().item<double>()}");
}
