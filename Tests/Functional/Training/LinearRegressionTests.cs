using System.Diagnostics;
using Linen.Functional;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Linen.Tests.Functional;

/// <summary>
/// End to end: a linear model trained with Adam through <see cref="Autodiff.ValueAndGrad(Func{ParamTree, Tensor}, ParamTree)"/>,
/// <see cref="TrainState"/> and <see cref="Lifetime.Advance{T, TValue}"/>, as a Flax training loop is written.
/// </summary>
public class LinearRegressionTests(ITestOutputHelper output)
{
    private static readonly float[] TrueKernel = [2f, -3f, 0.5f];
    private const float TrueBias = 1f;

    /// <summary>64 rows of 3 features x_ij = sin(0.5·(j + 1)·i + j) (three frequencies: full rank), with noise-free targets x·w* + b*.</summary>
    private static (Tensor X, Tensor Y) Data()
    {
        var x = new float[64 * 3];
        for (int i = 0; i < 64; i++)
            for (int j = 0; j < 3; j++)
                x[i * 3 + j] = MathF.Sin(0.5f * (j + 1) * i + j);
        var inputs = tensor(x).reshape(64, 3);
        return (inputs, inputs.mm(tensor(TrueKernel).reshape(3, 1)).Add(TrueBias));
    }

    private static (TrainState State, float Loss) Step(TrainState state, Tensor x, Tensor y)
    {
        var (loss, grads) = Autodiff.ValueAndGrad(p => Losses.MeanSquaredError(state.Model.Apply(Variables.FromParams(p), x), y), state.Params);
        return (state.ApplyGradients(grads), loss.item<float>());
    }

    private static TrainState NewState(Tensor x) =>
        TrainState.Create(new TrainStateTests.LinearModel(1), new TrainStateTests.LinearModel(1).Init(Linen.Prng.PrngKey.FromSeed(0), x), Optax.Adam(0.05));

    [Fact]
    public void AdamFitsNoiseFreeDataToFloatPrecision()
    {
        var (x, y) = Data();
        var state = NewState(x);
        float first = float.NaN, loss = float.NaN;
        for (int i = 0; i < 1000; i++)
        {
            (state, loss) = Lifetime.Advance(state, s => Step(s, x, y));
            if (i == 0) first = loss;
        }
        output.WriteLine($"loss: first {first}, after 1000 steps {loss}");
        // The targets are exactly linear in the inputs, so the optimum loss is 0 and the parameters are w*, b*.
        // Float32 rounding of targets of magnitude ~5 leaves a residual of order (5·2⁻²⁴)² ≈ 1e-13; the bound
        // 1e-6 (parameters within ~1e-3) leaves room for Adam's slow final approach while catching a wrong
        // update (a sign or scale error stalls the loss above 1e-2, the first loss being ~8).
        Assert.True(loss < 1e-6, $"loss after 1000 steps: {loss}");
        Assert.Equal(1000, state.Step);
        Assert.Equal(TrueKernel, state.Params["kernel"].flatten().data<float>().ToArray(), new ToleranceComparer(1e-3));
    }

    [Fact]
    public void TwoThousandStepsDoNotGrowTheLiveTensors()
    {
        var (x, y) = Data();
        var state = NewState(x);
        for (int i = 0; i < 100; i++) state = Lifetime.Advance(state, s => Step(s, x, y)).State;
        var live = OptimTesting.LiveTensors;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 2000; i++) state = Lifetime.Advance(state, s => Step(s, x, y)).State;
        clock.Stop();
        var growth = OptimTesting.LiveTensors - live;
        output.WriteLine($"live-tensor growth over 2000 steps: {growth}; {clock.Elapsed.TotalMicroseconds / 2000:F0} µs per step");
        // Each state holds the same number of tensors (2 params, 2×2 Adam moments); all else must be freed.
        Assert.Equal(0, growth);
    }
}
