using FsCheck;
using FsCheck.Fluent;
using Linen.Functional;
using Linen.Layers;
using Linen.Prng;
using Xunit;
using static Linen.Tests.Layers.TestValues;
using static TorchSharp.torch;

namespace Linen.Tests.Layers;

/// <summary>Activation functions at points with closed-form values (jax/_src/nn/functions.py formulas) and as modules.</summary>
public class ActivationTests : LayerContract<Activation>
{
    private static readonly Tensor X = tensor(new[] { -2f, -0.5f, 0f, 1f, 3f });

    private static float[] Map(Func<double, double> f) => [.. Values(X).Select(v => (float)f(v))];

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static double Erf(double x)
    {
        // Abramowitz–Stegun 7.1.26 is too coarse for 1e-6; integrate the series instead (|x| ≤ 3 here).
        double sum = 0, term = x;
        for (var n = 0; n < 60; n++) { sum += term / (2 * n + 1); term *= -x * x / (n + 1); }
        return 2 / Math.Sqrt(Math.PI) * sum;
    }

    /// <summary>The elementwise activations with their closed forms.</summary>
    private static readonly (string Name, Func<Tensor, Tensor> Function, Func<double, double> ClosedForm)[] Elementwise =
    [
        ("relu", Activations.Relu, x => Math.Max(x, 0)),
        ("relu6", Activations.Relu6, x => Math.Clamp(x, 0, 6)),
        ("gelu (tanh)", Activations.Gelu, x => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)))),
        ("gelu (exact)", x => Activations.Gelu(x, approximate: false), x => 0.5 * x * (1 + Erf(x / Math.Sqrt(2)))),
        ("elu", Activations.Elu, x => x > 0 ? x : Math.Exp(x) - 1),
        ("selu", Activations.Selu, x => 1.0507009873554805 * (x > 0 ? x : 1.6732632423543772 * (Math.Exp(x) - 1))),
        ("celu(α=2)", x => Activations.Celu(x, 2), x => Math.Max(x, 0) + 2 * (Math.Exp(Math.Min(x, 0) / 2) - 1)),
        ("leaky_relu", Activations.LeakyRelu, x => x >= 0 ? x : 0.01 * x),
        ("sigmoid", Activations.Sigmoid, Sigmoid),
        ("log_sigmoid", Activations.LogSigmoid, x => Math.Log(Sigmoid(x))),
        ("tanh", Activations.Tanh, Math.Tanh),
        ("softplus", Activations.Softplus, x => Math.Log(1 + Math.Exp(x))),
        ("soft_sign", Activations.SoftSign, x => x / (Math.Abs(x) + 1)),
        ("silu", Activations.Silu, x => x * Sigmoid(x)),
        ("swish", Activations.Swish, x => x * Sigmoid(x)),
        ("mish", Activations.Mish, x => x * Math.Tanh(Math.Log(1 + Math.Exp(x)))),
        ("hard_sigmoid", Activations.HardSigmoid, x => Math.Clamp(x + 3, 0, 6) / 6),
        ("hard_silu", Activations.HardSilu, x => x * Math.Clamp(x + 3, 0, 6) / 6),
        ("hard_tanh", Activations.HardTanh, x => Math.Clamp(x, -1, 1)),
    ];

    public static TheoryData<string, Func<Tensor, Tensor>, Func<double, double>> Cases
    {
        get
        {
            var cases = new TheoryData<string, Func<Tensor, Tensor>, Func<double, double>>();
            foreach (var (name, function, closedForm) in Elementwise) cases.Add(name, function, closedForm);
            return cases;
        }
    }

    /// <summary>Every activation as a module, named after it so that a failing case says which.</summary>
    protected override Gen<Activation> Layers => Gen.Elements(
    [
        .. Elementwise.Select(e => new Activation(e.Function) { Name = e.Name }),
        new Activation(Activations.Softmax) { Name = "softmax" },
        new Activation(Activations.LogSoftmax) { Name = "log_softmax" },
        new Activation(Activations.Glu) { Name = "glu" },
    ]);

    /// <summary>Rank 1 to 3; glu halves the last axis, so it gets an even one.</summary>
    protected override Gen<long[]> InputShapes(Activation layer) => layer.Name == "glu"
        ? from shape in ShapeGen(1, 3, 3) select (long[])[.. shape[..^1], 2 * shape[^1]]
        : ShapeGen(1, 3, 4);

    // An activation owns no variables (flax/linen/activation.py functions).
    protected override FlaxExample Flax => new(new Activation(Activations.Relu), X, [5], new Dictionary<string, long[]>());

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTheClosedForm(string name, Func<Tensor, Tensor> activation, Func<double, double> expected)
    {
        Assert.NotEmpty(name);
        AssertClose(Map(expected), activation(X), 2e-6);
    }

    [Fact]
    public void GeluDefaultsToTheTanhApproximation()
    {
        // jax.nn.gelu(1.0) = 0.841192 (approximate=True) and 0.8413447 (approximate=False).
        AssertClose([0.841192f], Activations.Gelu(tensor(new[] { 1f })), 1e-6);
        AssertClose([0.8413447f], Activations.Gelu(tensor(new[] { 1f }), approximate: false), 1e-6);
    }

    [Fact]
    public void SoftmaxAndLogSoftmaxNormalizeAlongTheAxis()
    {
        var x = tensor(new[] { 1f, 2f, 3f, 1f, 1f, 1f }, [2, 3]);
        var total = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        AssertClose([(float)(Math.Exp(1) / total), (float)(Math.Exp(2) / total), (float)(Math.Exp(3) / total), 1 / 3f, 1 / 3f, 1 / 3f],
            Activations.Softmax(x), 1e-6);
        AssertClose([0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f], Activations.Softmax(tensor(new[] { 1f, 2f, 3f, 1f, 2f, 3f }, [2, 3]), 0), 1e-6);
        AssertClose([(float)(1 - Math.Log(total)), (float)(2 - Math.Log(total)), (float)(3 - Math.Log(total))], Activations.LogSoftmax(x)[0], 1e-6);
    }

    [Fact]
    public void GluGatesTheFirstHalfWithTheSecond()
    {
        var x = tensor(new[] { 2f, -1f, 0f, 1f }, [1, 4]);
        AssertClose([(float)(2 * Sigmoid(0)), (float)(-Sigmoid(1))], Activations.Glu(x), 1e-6);
        var error = Assert.Throws<InputShapeException>(() => Activations.Glu(ones(2, 3)));
        Assert.Equal("glu splits axis -1 in two halves, so it needs an input with an even size there; got shape (2, 3).", error.Message);
    }

    [Fact]
    public void AnActivationModuleOwnsNothingAndShiftsNoOtherName()
    {
        var relu = new Activation(Activations.Relu);
        Assert.Equal(Values(Activations.Relu(X)), Values(relu.Apply(Variables.Empty, X)));
        var variables = new Sequential(new PRelu(), relu, new PRelu()).Init(PrngKey.FromSeed(0), X);
        Assert.Equal(["params/layers_0/negative_slope", "params/layers_2/negative_slope"], variables.Tree.Paths);
    }
}
