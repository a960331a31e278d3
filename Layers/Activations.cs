using Linen.Functional;
using TorchSharp;
using static TorchSharp.torch;

namespace Linen.Layers;

/// <summary>
/// The activation functions Flax re-exports from <c>jax.nn</c>, with JAX's formulas and defaults. They are plain
/// functions, as in Flax; wrap one in an <see cref="Activation"/> to use it where a module is expected.
/// </summary>
public static class Activations
{
    private static readonly Scalar Six = 6L.ToScalar();
    private static readonly Scalar MinusOne = (-1L).ToScalar();

    /// <summary><c>max(x, 0)</c>.</summary>
    public static Tensor Relu(Tensor x) => x.relu();

    /// <summary><c>min(max(x, 0), 6)</c>.</summary>
    public static Tensor Relu6(Tensor x) => x.clamp(Scalars.Zero, Six);

    /// <summary>GELU in JAX's default tanh approximation: <c>x·½(1 + tanh(√(2/π)(x + 0.044715x³)))</c>.</summary>
    public static Tensor Gelu(Tensor x) => Gelu(x, approximate: true);

    /// <summary>GELU: the tanh approximation, or with <paramref name="approximate"/> false the exact <c>½x·erfc(−x/√2)</c>.</summary>
    /// <remarks>
    /// LibTorch's tanh GELU is JAX's formula in one fused op (the composition cost a dozen kernels and their
    /// backward). The exact form stays composed: LibTorch's <c>1 + erf</c> loses the tail that JAX's <c>erfc</c> keeps.
    /// </remarks>
    public static Tensor Gelu(Tensor x, bool approximate) => approximate
        ? nn.functional.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh)
        : x.Mul(0.5) * (-x).Mul(Math.Sqrt(0.5)).erfc();

    /// <summary><c>x</c> for positive x, else <c>α(eˣ − 1)</c>; α = 1.</summary>
    public static Tensor Elu(Tensor x) => Elu(x, 1.0);

    /// <summary><c>x</c> for positive x, else <c>α(eˣ − 1)</c>.</summary>
    /// <remarks>
    /// LibTorch's <c>elu</c> is JAX's function (<c>expm1</c> on the non-positive side, whose slope it also takes at 0)
    /// in one op; JAX's double <c>where</c> composition cost several kernels forward and backward.
    /// </remarks>
    public static Tensor Elu(Tensor x, double alpha)
    {
        using var alphaScalar = alpha.ToScalar();
        return x.elu(alphaScalar, Scalars.One, Scalars.One);  // scale and input scale 1, LibTorch's defaults
    }

    /// <summary>Scaled ELU with JAX's λ = 1.0507… and α = 1.6732… (LibTorch's <c>selu</c>, the same constants, in one op).</summary>
    public static Tensor Selu(Tensor x) => nn.functional.selu(x);

    /// <summary><c>max(x, 0) + α(exp(min(x, 0)/α) − 1)</c>; α = 1.</summary>
    public static Tensor Celu(Tensor x) => Celu(x, 1.0);

    /// <summary><c>max(x, 0) + α(exp(min(x, 0)/α) − 1)</c>.</summary>
    public static Tensor Celu(Tensor x, double alpha) => x.clamp_min(Scalars.Zero).Add(x.clamp_max(Scalars.Zero).Div(alpha).expm1().Mul(alpha));

    /// <summary><c>x</c> for x ≥ 0, else <c>0.01x</c>.</summary>
    public static Tensor LeakyRelu(Tensor x) => LeakyRelu(x, 0.01);

    /// <summary><c>x</c> for x ≥ 0, else <c>negativeSlope·x</c>.</summary>
    public static Tensor LeakyRelu(Tensor x, double negativeSlope) => where(x.ge(Scalars.Zero), x, x.Mul(negativeSlope));

    /// <summary>The logistic function <c>1/(1 + e⁻ˣ)</c>.</summary>
    public static Tensor Sigmoid(Tensor x) => x.sigmoid();

    /// <summary><c>log σ(x) = −softplus(−x)</c>.</summary>
    public static Tensor LogSigmoid(Tensor x) => -Softplus(-x);

    /// <summary>The hyperbolic tangent.</summary>
    public static Tensor Tanh(Tensor x) => x.tanh();

    /// <summary><c>log(1 + eˣ)</c>, computed stably as <c>max(x, 0) + log1p(e^−|x|)</c>.</summary>
    public static Tensor Softplus(Tensor x) => x.clamp_min(Scalars.Zero).Add((-x.abs()).exp().log1p());

    /// <summary><c>x / (|x| + 1)</c>.</summary>
    public static Tensor SoftSign(Tensor x) => x / x.abs().Add(1);

    /// <summary>SiLU (swish): <c>x·σ(x)</c>.</summary>
    public static Tensor Silu(Tensor x) => x * x.sigmoid();

    /// <summary>Swish, the same function as <see cref="Silu"/>.</summary>
    public static Tensor Swish(Tensor x) => Silu(x);

    /// <summary>Mish: <c>x·tanh(softplus(x))</c>.</summary>
    public static Tensor Mish(Tensor x) => x * Softplus(x).tanh();

    /// <summary><c>relu6(x + 3)/6</c>.</summary>
    public static Tensor HardSigmoid(Tensor x) => Relu6(x.Add(3)).Div(6);

    /// <summary><c>x·hard_sigmoid(x)</c> (also called hard swish).</summary>
    public static Tensor HardSilu(Tensor x) => x * HardSigmoid(x);

    /// <summary><c>x</c> clipped to [−1, 1].</summary>
    public static Tensor HardTanh(Tensor x) => x.clamp(MinusOne, Scalars.One);

    /// <summary>Softmax over the last axis.</summary>
    public static Tensor Softmax(Tensor x) => Softmax(x, -1);

    /// <summary>Softmax over <paramref name="axis"/>: <c>exp(x − max) / Σ exp(x − max)</c>.</summary>
    public static Tensor Softmax(Tensor x, long axis) => x.softmax(axis);

    /// <summary>Log-softmax over the last axis.</summary>
    public static Tensor LogSoftmax(Tensor x) => LogSoftmax(x, -1);

    /// <summary>Log-softmax over <paramref name="axis"/>: <c>(x − max) − log Σ exp(x − max)</c>.</summary>
    public static Tensor LogSoftmax(Tensor x, long axis) => x.log_softmax(axis);

    /// <summary>Gated linear unit over the last axis.</summary>
    public static Tensor Glu(Tensor x) => Glu(x, -1);

    /// <summary>Gated linear unit: the first half of <paramref name="axis"/> times σ of the second half.</summary>
    /// <exception cref="InputShapeException">The axis does not exist or its size is odd.</exception>
    public static Tensor Glu(Tensor x, long axis)
    {
        var rank = x.dim();
        if (axis < -rank || axis >= rank || x.shape[axis < 0 ? axis + rank : axis] % 2 != 0)
            throw new InputShapeException($"glu splits axis {axis} in two halves, so it needs an input with an even size there; got shape {Shapes.Format(x.shape)}.");
        var halves = x.chunk(2, axis);
        return halves[0] * halves[1].sigmoid();
    }
}
