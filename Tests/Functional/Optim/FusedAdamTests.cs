using Linen.Functional;
using Linen.Prng;
using Xunit;
using static TorchSharp.torch;

namespace Linen.Tests.Functional;

/// <summary>
/// The fused Adam and AdamW step of <see cref="GradientTransformation.UpdateAndApply"/> against the chain's Update
/// then ApplyUpdates, for every option that changes the fused arithmetic or the state it must leave.
/// </summary>
public class FusedAdamTests
{
    private static readonly Schedule Decaying = step => 0.05f / (1 + step);

    public static TheoryData<string> Optimizers => [.. Variants.Keys];

    private static readonly Dictionary<string, Func<GradientTransformation>> Variants = new()
    {
        ["adam"] = () => Optax.Adam(0.05),
        ["adam nesterov"] = () => Optax.Adam(0.05, nesterov: true),
        ["adam eps_root"] = () => Optax.Adam(0.05, eps: 1e-3, epsRoot: 1e-4),
        ["adam schedule"] = () => Optax.Adam(Decaying),
        ["adamw"] = () => Optax.AdamW(0.05, weightDecay: 0.1),
        ["adamw no decay"] = () => Optax.AdamW(0.05, weightDecay: 0),
        ["adamw nesterov schedule"] = () => Optax.AdamW(Decaying, weightDecay: 0.1, nesterov: true),
        ["adamw masked"] = () => Optax.AdamW(0.05, weightDecay: 0.1, mask: path => !path.EndsWith("bias")),
    };

    // A nested tree of several shapes, standard-normal values from fixed keys.
    private static ParamTree RandomTree(uint seed) => ParamTree.CreateBuilder()
        .Add("Block_0/Dense_0/kernel", TensorSample.Normal(PrngKey.FromSeed(seed), [4, 3]))
        .Add("Block_0/Dense_0/bias", TensorSample.Normal(PrngKey.FromSeed(seed + 1), [3]))
        .Add("Block_0/LayerNorm_0/scale", TensorSample.Normal(PrngKey.FromSeed(seed + 2), [3]))
        .Add("Conv_0/kernel", TensorSample.Normal(PrngKey.FromSeed(seed + 3), [2, 2, 1, 5]))
        .Add("Conv_0/bias", TensorSample.Normal(PrngKey.FromSeed(seed + 4), [5]))
        .ToImmutable();

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void FusedStepsMatchTheChainOnARandomTree(string optimizer)
    {
        var tx = Variants[optimizer]();
        var (fused, fusedState) = (RandomTree(0), tx.Init(RandomTree(0)));
        var (plain, plainState) = (RandomTree(0), tx.Init(RandomTree(0)));
        for (uint step = 1; step <= 5; step++)
        {
            var grads = RandomTree(10 * step);
            (fused, fusedState) = tx.UpdateAndApply(grads, fusedState, fused);
            (var updates, plainState) = tx.Update(grads, plainState, plain);
            plain = Optax.ApplyUpdates(plain, updates);
            OptimTesting.AssertSameResult(plain, plainState, fused, fusedState);
        }
        Assert.False(ParamTree.AllClose(RandomTree(0), fused), "the parameters should have moved");
    }

    [Fact]
    public void FusedAndChainStepsShareOneState()
    {
        var tx = Optax.AdamW(0.05, weightDecay: 0.1);
        var parameters = RandomTree(0);
        var (afterFused, fusedState) = tx.UpdateAndApply(RandomTree(1), tx.Init(parameters), parameters);
        var (updates, chainState) = tx.Update(RandomTree(2), fusedState, afterFused);
        var expected = Optax.ApplyUpdates(afterFused, updates);
        var (actual, actualState) = tx.UpdateAndApply(RandomTree(2), fusedState, afterFused);
        OptimTesting.AssertSameResult(expected, chainState, actual, actualState);
    }

    private sealed record Training(ParamTree Params, OptState State) : ITensorContainer
    {
        public IEnumerable<Tensor> Tensors => Params.Leaves.Concat(State.AllTensors);
    }

    // How many of RandomTree's five parameters each optimizer may overwrite. Float32 leaves on the CPU go through
    // AdamKernel, element by element: all of them. Other dtypes go through LibTorch ops, where AdamW's decay reads the
    // old parameter after the step: all but those AdamW decays.
    public static TheoryData<string, ScalarType, int> InPlaceParameters
    {
        get
        {
            var data = new TheoryData<string, ScalarType, int>();
            foreach (var optimizer in Variants.Keys) data.Add(optimizer, ScalarType.Float32, 5);
            foreach (var (optimizer, count) in (ReadOnlySpan<(string, int)>)[("adam", 5), ("adam nesterov", 5), ("adam eps_root", 5),
                ("adam schedule", 5), ("adamw", 0), ("adamw no decay", 5), ("adamw nesterov schedule", 0), ("adamw masked", 2)])
                data.Add(optimizer, ScalarType.Float64, count);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(InPlaceParameters))]
    public void StepsUnderAdvanceOverwriteTheirOwnBuffersWithTheSameResults(string optimizer, ScalarType dtype, int inPlaceParameters)
    {
        using var scope = NewDisposeScope();
        ParamTree RandomTree(uint seed) => FusedAdamTests.RandomTree(seed).Map(t => t.to_type(dtype));
        var tx = Variants[optimizer]();
        var donated = new Training(RandomTree(0), tx.Init(RandomTree(0)));
        var (plain, plainState) = (RandomTree(0), tx.Init(RandomTree(0)));
        for (uint step = 1; step <= 4; step++)
        {
            var grads = RandomTree(10 * step);
            var oldParams = donated.Params.Leaves.ToList();
            var oldBuffers = donated.Tensors.Select(t => t.detach()).ToList();  // other handles on the old buffers
            donated = Lifetime.Advance(donated, s =>
            {
                var (next, state) = tx.UpdateAndApply(grads, s.State, s.Params);
                return new Training(next, state);
            });
            (plain, plainState) = tx.UpdateAndApply(grads, plainState, plain);
            foreach (var (path, expected) in plain.Flatten())
                Assert.True(expected.eq(donated.Params[path]).all().item<bool>(), $"{path} differs from the step out of place");
            OptimTesting.AssertSameResult(plain, plainState, donated.Params, donated.State);
            // The first step's inputs are the caller's trees: never overwritten. Later, both moments of every leaf are,
            // and so the old buffers hold the new values. The old handles are freed either way.
            var overwritten = oldBuffers.Count(b => donated.Tensors.Any(t => Shapes.Of(t).SequenceEqual(Shapes.Of(b)) && t.allclose(b, 0, 0)));
            Assert.Equal(step == 1 ? 0 : 10 + inPlaceParameters, overwritten);
            Assert.All(oldParams, t => Assert.True(t.IsInvalid));
        }
    }

    [Fact]
    public void OnlyOptimizerBuffersListedOnceAreDonated()
    {
        using var scope = NewDisposeScope();
        var (shared, own, callers) = (Donation.HandOver(ones(2), false), Donation.HandOver(ones(2), false), ones(2));
        using (Donation.Of([shared, own, shared, callers]))
        {
            Assert.False(Donation.CanOverwrite(shared));
            Assert.True(Donation.CanOverwrite(own));
            Assert.False(Donation.CanOverwrite(callers));
        }
        Assert.False(Donation.CanOverwrite(own));
    }
}
