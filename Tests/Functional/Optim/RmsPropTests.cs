using Linen.Functional;
using Xunit;
using static Linen.Tests.Functional.OptimTesting;

namespace Linen.Tests.Functional;

/// <summary>
/// <c>optax.rmsprop</c>. Golden values: optax's <c>scale_by_rms</c> / <c>scale_by_stddev</c>
/// (optax/_src/transform.py) and the rmsprop chain (optax/_src/alias.py) evaluated by hand in float64 for the
/// inputs of <see cref="AdamTests"/>, lr 0.01, decay 0.9 and a large eps = 0.1 so that its placement shows.
/// </summary>
public class RmsPropTests : OptimizerContract
{
    protected override GradientTransformation Create() => Optax.RmsProp(0.01);
    protected override int StateTensorsPerParameter => 1;

    [Fact]
    public void DefaultPutsEpsInsideTheSquareRoot() =>
        // Step 1: −0.01·0.5/√(0.1·0.25 + 0.1) = −0.0141421
        AssertSteps(
            [[0.9858578643762691, -0.4776393202250021], [0.9928251945191853, -0.5036771024211669], [0.9717842167643133, -0.5036771024211669]],
            Steps(Optax.RmsProp(0.01, eps: 0.1), StartParams, ThreeGrads));

    [Fact]
    public void EpsOutsideTheSquareRootIsPyTorchsForm() =>
        AssertSteps(
            [[0.9806287056638603, -0.4759746926647958], [0.9899031389409445, -0.5009746926647958], [0.9679149042490666, -0.5009746926647958]],
            Steps(Optax.RmsProp(0.01, eps: 0.1, epsInSqrt: false), StartParams, ThreeGrads));

    [Fact]
    public void CenteredWithMomentumAppliesTheTraceAfterTheLearningRate() =>
        AssertSteps(
            [[0.9857142857142858, -0.47705842661294384], [0.9855496070356564, -0.49189659796751684], [0.9637461451890599, -0.49931568364480333]],
            Steps(Optax.RmsProp(0.01, eps: 0.1, centered: true, momentum: 0.5), StartParams, ThreeGrads));

    [Fact]
    public void BiasCorrectionAndInitialScale() =>
        AssertSteps(
            [[0.9965900283026476, -0.49412779780485294], [0.998969419356645, -0.5047703438063947], [0.9894455699876777, -0.5047703438063947]],
            Steps(Optax.RmsProp(0.01, eps: 0.1, initialScale: 0.2, biasCorrection: true), StartParams, ThreeGrads));
}

/// <summary>The contract for centred RMSProp with momentum: mean, second moment and trace per parameter.</summary>
public class CenteredRmsPropContractTests : OptimizerContract
{
    protected override GradientTransformation Create() => Optax.RmsProp(0.01, centered: true, momentum: 0.9);
    protected override int StateTensorsPerParameter => 3;
}
