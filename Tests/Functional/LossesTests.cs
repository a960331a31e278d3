using Linen.Functional;
using Xunit;
using static TorchSharp.torch;

namespace Linen.Tests.Functional;

/// <summary>Losses (optax/losses/_classification.py, _regression.py) and accuracy on closed-form cases.</summary>
public class LossesTests
{
    private static void AssertValues(double[] expected, Tensor actual, double tolerance = 1e-6) =>
        Assert.Equal(expected.Select(v => (float)v), actual.to_type(ScalarType.Float32).data<float>().ToArray(), new ToleranceComparer(tolerance));

    // Rows: uniform logits over 4 classes (loss ln 4 for any label) and [ln 1, ln 2, ln 3, ln 4] (softmax = k/10).
    private static Tensor Logits() => tensor(new[] { 0f, 0f, 0f, 0f, 0f, MathF.Log(2), MathF.Log(3), MathF.Log(4) }).reshape(2, 4);

    [Fact]
    public void IntegerLabelsGiveMinusLogSoftmaxOfTheLabel() =>
        // −ln(1/4) and −ln(3/10)
        AssertValues([Math.Log(4), -Math.Log(0.3)], Losses.SoftmaxCrossEntropyWithIntegerLabels(Logits(), tensor(new long[] { 1, 2 })));

    [Fact]
    public void IntegerLabelsMatchLibTorchCrossEntropyExactlyInValuesAndGradients()
    {
        // cross_entropy's numbers bit for bit, for batch dims of any rank.
        manual_seed(7);
        var source = randn(3, 5, 10);
        var labels = randint(0, 10, [3, 5], ScalarType.Int64);
        var (ours, theirs) = (source.detach().requires_grad_(true), source.detach().requires_grad_(true));
        var value = Losses.SoftmaxCrossEntropyWithIntegerLabels(ours, labels);
        var expected = nn.functional.cross_entropy(theirs.reshape(15, 10), labels.reshape(15), reduction: nn.Reduction.None).reshape(3, 5);
        Assert.True(value.eq(expected).all().item<bool>());
        value.mean().backward();
        expected.mean().backward();
        Assert.True(ours.grad!.eq(theirs.grad!).all().item<bool>());
        var single = Losses.SoftmaxCrossEntropyWithIntegerLabels(source[0, 0], labels[0, 0]);
        Assert.Equal(0, single.ndim);
        Assert.True(single.eq(expected[0, 0]).item<bool>());
    }

    [Fact]
    public void Int32LabelsWorkToo() =>
        AssertValues([Math.Log(4), -Math.Log(0.4)], Losses.SoftmaxCrossEntropyWithIntegerLabels(Logits(), tensor(new[] { 0, 3 })));

    [Fact]
    public void OneHotLabelsAgreeWithIntegerLabelsAndSoftLabelsAverage()
    {
        var oneHot = tensor(new[] { 0f, 1f, 0f, 0f, 0f, 0f, 1f, 0f }).reshape(2, 4);
        AssertValues([Math.Log(4), -Math.Log(0.3)], Losses.SoftmaxCrossEntropy(Logits(), oneHot));
        var soft = tensor(new[] { 0.5f, 0.5f, 0f, 0f, 0f, 0f, 0.5f, 0.5f }).reshape(2, 4);
        AssertValues([Math.Log(4), -0.5 * (Math.Log(0.3) + Math.Log(0.4))], Losses.SoftmaxCrossEntropy(Logits(), soft));
    }

    [Fact]
    public void OutOfRangeLabelIsNamedWithItsPosition()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Losses.SoftmaxCrossEntropyWithIntegerLabels(zeros(2, 3, 4), tensor(new long[] { 0, 1, 2, 3, 4, 1 }).reshape(2, 3)));
        Assert.Equal("SoftmaxCrossEntropyWithIntegerLabels: label 4 at position (1, 1) is not a class index in [0, 4). (Parameter 'labels')", error.Message);
    }

    [Theory]
    [InlineData(ScalarType.Int32, false)]
    [InlineData(ScalarType.Int64, true)]
    [InlineData(ScalarType.Int16, false)]
    public void OutOfRangeLabelIsFoundInEveryDtypeAndLayout(ScalarType dtype, bool transposed)
    {
        // Contiguous int32/int64 labels are checked in place, others by LibTorch ops: both must find the same label.
        var labels = tensor(new long[] { 0, 1, 2, 3, 1, 5 }).reshape(2, 3).to_type(dtype);
        if (transposed) labels = labels.t();
        var error = Assert.Throws<ArgumentException>(() => Losses.SoftmaxCrossEntropyWithIntegerLabels(zeros(labels.shape[0], labels.shape[1], 4), labels));
        var position = transposed ? "(2, 1)" : "(1, 2)";
        Assert.Equal($"SoftmaxCrossEntropyWithIntegerLabels: label 5 at position {position} is not a class index in [0, 4). (Parameter 'labels')", error.Message);
    }

    [Fact]
    public void NegativeLabelIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Metrics.Accuracy(zeros(3, 4), tensor(new long[] { 0, -1, 2 })));
        Assert.Equal("Accuracy: label -1 at position (1,) is not a class index in [0, 4). (Parameter 'labels')", error.Message);
    }

    [Fact]
    public void LabelsOfTheWrongShapeOrDtypeAreRejected()
    {
        var shape = Assert.Throws<ArgumentException>(() => Losses.SoftmaxCrossEntropyWithIntegerLabels(zeros(2, 4), tensor(new long[] { 0, 1, 2 })));
        Assert.Equal("SoftmaxCrossEntropyWithIntegerLabels: labels of shape (3,) do not fit logits of shape (2, 4); expected labels of shape (2,). (Parameter 'labels')", shape.Message);
        var dtype = Assert.Throws<ArgumentException>(() => Losses.SoftmaxCrossEntropyWithIntegerLabels(zeros(2, 4), zeros(2)));
        Assert.StartsWith("SoftmaxCrossEntropyWithIntegerLabels: labels must be integer class indices; got Float32.", dtype.Message);
    }

    [Fact]
    public void SigmoidBinaryCrossEntropyClosedForm() =>
        // logit 0 → ln 2 for any label; logit ln 3 (p = 3/4) with label 1 → −ln(3/4), with label 0 → −ln(1/4).
        AssertValues([Math.Log(2), -Math.Log(0.75), -Math.Log(0.25)],
            Losses.SigmoidBinaryCrossEntropy(tensor(new[] { 0f, MathF.Log(3), MathF.Log(3) }), tensor(new[] { 1f, 1f, 0f })));

    [Fact]
    public void SigmoidBinaryCrossEntropyRejectsLabelsOutsideTheUnitInterval()
    {
        var error = Assert.Throws<ArgumentException>(() => Losses.SigmoidBinaryCrossEntropy(zeros(3), tensor(new[] { 0f, 1f, 2f })));
        Assert.Equal("SigmoidBinaryCrossEntropy: label 2 at position (2,) is not a probability in [0, 1]. (Parameter 'labels')", error.Message);
    }

    [Fact]
    public void NaNLabelIsNamed()
    {
        var error = Assert.Throws<ArgumentException>(() => Losses.SoftmaxCrossEntropy(zeros(1, 2), tensor(new[] { 1f, float.NaN }).reshape(1, 2)));
        Assert.Equal("SoftmaxCrossEntropy: label NaN at position (0, 1) is not a probability in [0, 1]. (Parameter 'labels')", error.Message);
    }

    [Fact]
    public void SquaredErrorL2AndMean()
    {
        var predictions = tensor(new[] { 1f, 2f, 3f });
        var targets = tensor(new[] { 1f, 0f, 6f });
        AssertValues([0, 4, 9], Losses.SquaredError(predictions, targets));
        AssertValues([0, 2, 4.5], Losses.L2Loss(predictions, targets));
        AssertValues([13 / 3.0], Losses.MeanSquaredError(predictions, targets));
        AssertValues([1, 4, 9], Losses.SquaredError(predictions));
    }

    [Fact]
    public void SquaredErrorRejectsDifferentShapes()
    {
        var error = Assert.Throws<ArgumentException>(() => Losses.L2Loss(zeros(3), zeros(3, 1)));
        Assert.Equal("L2Loss: targets of shape (3, 1) must have the shape of predictions, (3,). (Parameter 'targets')", error.Message);
    }

    [Fact]
    public void HuberIsQuadraticInsideDeltaAndLinearOutside() =>
        // δ = 1: e = 0.5 → 0.125; e = −2 → 0.5 + 1·(2 − 1) = 1.5; δ = 2, e = 3 → 2 + 2·1 = 4.
        AssertValues([0.125, 1.5], Losses.Huber(tensor(new[] { 0.5f, -2f }), zeros(2)));

    [Fact]
    public void HuberDelta() => AssertValues([4], Losses.Huber(tensor(new[] { 3f }), delta: 2));

    [Fact]
    public void AccuracyCountsArgmaxHits() =>
        // Row argmaxes: 0 (first of ties), 3, 1.
        AssertValues([2 / 3.0], Metrics.Accuracy(
            tensor(new[] { 1f, 1f, 0f, 0f, 0f, 1f, 2f, 3f, 0f, 5f, 1f, 1f }).reshape(3, 4), tensor(new long[] { 0, 3, 2 })));

    [Fact]
    public void LossesAreDifferentiable()
    {
        var logits = Logits().requires_grad_(true);
        Losses.SoftmaxCrossEntropyWithIntegerLabels(logits, tensor(new long[] { 1, 2 })).sum().backward();
        // d/dlogits = softmax − onehot: row 1 = [0.25, −0.75, 0.25, 0.25]
        AssertValues([0.25, -0.75, 0.25, 0.25], logits.grad!.select(0, 0));
    }
}
