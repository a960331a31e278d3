using Linen.Functional;
using Xunit;
using static Linen.Tests.Functional.OptimTesting;
using static TorchSharp.torch;

namespace Linen.Tests.Functional;

/// <summary>
/// <c>optax.adamw</c> = chain(scale_by_adam, add_decayed_weights, scale_by_learning_rate): Δp = −lr·(u + wd·p).
/// Golden values evaluated by hand in float64 from optax's formulas for the tree {bias: [2], kernel: [1, −0.5]},
/// kernel gradients as in <see cref="AdamTests"/> and a constant bias gradient 0.3, lr 0.1, wd 0.01 (bias
/// corrections rounded to float32, as there).
/// </summary>
public class AdamWTests : OptimizerContract
{
    protected override GradientTransformation Create() => Optax.AdamW(0.1, weightDecay: 0.01);
    protected override int StateTensorsPerParameter => 2;

    private static ParamTree Tree(float bias, float k0, float k1) => ParamTree.CreateBuilder()
        .Add("bias", tensor(new[] { bias })).Add("kernel", tensor(new[] { k0, k1 })).ToImmutable();

    private static readonly ParamTree[] Grads = [Tree(0.3f, 0.5f, -1f), Tree(0.3f, -0.25f, 2f), Tree(0.3f, 1f, 0f)];

    [Fact]
    public void DecayIsAddedBeforeTheLearningRate() =>
        AssertSteps(
            [[1.89800067, 0.89900067, -0.399500669], [1.79610368, 0.871468234, -0.435711152], [1.69430794, 0.804785846, -0.463575246]],
            Steps(Optax.AdamW(0.1, weightDecay: 0.01), Tree(2f, 1f, -0.5f), Grads));

    [Fact]
    public void MaskSkipsTheDecayOfRejectedPaths() =>
        // The bias gets plain Adam with a constant gradient: −0.1 per step (up to the float32 bias corrections).
        AssertSteps(
            [[1.90000067, 0.89900067, -0.399500669], [1.80000168, 0.871468234, -0.435711152], [1.70000205, 0.804785846, -0.463575246]],
            Steps(Optax.AdamW(0.1, weightDecay: 0.01, mask: path => path != "bias"), Tree(2f, 1f, -0.5f), Grads));

    [Fact]
    public void DefaultDecayIsOptaxsOneInTenThousand()
    {
        // With a zero gradient Adam's update is 0, so the step is exactly −lr·wd·p.
        var zero = Tree(0f, 0f, 0f);
        AssertSteps([[2 - 0.1 * 1e-4 * 2, 1 - 0.1 * 1e-4, -0.5 + 0.1 * 1e-4 * 0.5]], Steps(Optax.AdamW(0.1), Tree(2f, 1f, -0.5f), zero), 1e-7);
    }

    [Fact]
    public void UpdateWithoutParametersIsRejected()
    {
        var tx = Optax.AdamW(0.1);
        var error = Assert.Throws<ArgumentNullException>(() => tx.Update(Grads[0], tx.Init(Tree(2f, 1f, -0.5f))));
        Assert.StartsWith("AddDecayedWeights needs the current parameters", error.Message);
    }
}
