using TorchSharp;
using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>The state of <see cref="Optax.ScaleByAdam"/> (optax's <c>ScaleByAdamState</c>).</summary>
/// <param name="Count">The number of updates made so far.</param>
/// <param name="Mu">The first moment, shaped like the parameters.</param>
/// <param name="Nu">The second moment, shaped like the parameters.</param>
public sealed record ScaleByAdamState(int Count, ParamTree Mu, ParamTree Nu) : OptState
{
    /// <inheritdoc />
    protected override IEnumerable<Tensor> EnumerateTensors() => Mu.Leaves.Concat(Nu.Leaves);
}

public static partial class Optax
{
    /// <summary>
    /// <c>optax.scale_by_adam</c>: <c>m ← (1−b1)·g + b1·m</c>, <c>v ← (1−b2)·g² + b2·v</c>, <c>t ← t+1</c>,
    /// <c>u = m̂ / (√(v̂ + epsRoot) + eps)</c> with <c>m̂ = m/(1−b1ᵗ)</c> and <c>v̂ = v/(1−b2ᵗ)</c>: <paramref name="eps"/>
    /// outside the square root, <paramref name="epsRoot"/> inside. With <paramref name="nesterov"/> (NAdam)
    /// <c>m̂ = b1·m/(1−b1ᵗ⁺¹) + (1−b1)·g/(1−b1ᵗ)</c>. The bias corrections are computed in float32, as optax does.
    /// </summary>
    public static GradientTransformation ScaleByAdam(
        double b1 = 0.9, double b2 = 0.999, double eps = 1e-8, double epsRoot = 0.0, bool nesterov = false) => new(
        parameters => new ScaleByAdamState(0, TreeMath.ZerosLike(parameters), TreeMath.ZerosLike(parameters)),
        (updates, state, _) =>
        {
            var s = state.Expect<ScaleByAdamState>(nameof(ScaleByAdam));
            TreeMath.RequireMatch(nameof(ScaleByAdam), updates, s.Mu, "first moment");
            using var step = new AdamStep(b1, b2, eps, epsRoot, nesterov, OptState.SafeIncrement(s.Count));
            var mu = TreeMath.Zip(updates, s.Mu, step.FirstMoment);
            var nu = TreeMath.Zip(updates, s.Nu, step.SecondMoment);
            var muHat = TreeMath.Zip(updates, mu, step.CorrectedFirstMoment);
            var scaled = TreeMath.Zip(muHat, nu, (m, v) => m.div_(step.Denominator(v)));
            return (scaled, new ScaleByAdamState(step.Count, mu, nu));
        });

    /// <summary><c>1 − decayᶜᵒᵘⁿᵗ</c> in float32, as <c>optax.tree.bias_correction</c> evaluates it.</summary>
    internal static float BiasCorrection(double decay, int count) => 1f - MathF.Pow((float)decay, count);

    /// <summary>
    /// One Adam step's per-leaf arithmetic and the scalars it holds for the step, shared by <see cref="ScaleByAdam"/>
    /// and the fused Adam, so that both leave the same moments.
    /// </summary>
    internal sealed class AdamStep : IDisposable
    {
        private readonly Scalar _decay1, _decay2, _rest1, _rest2, _correction1, _correction2, _nextCorrection1, _eps;
        private readonly Scalar? _epsRoot;
        private readonly bool _nesterov;
        private readonly AdamKernel.Constants _kernel;

        /// <summary>The scalars of the step that brings the count to <paramref name="count"/> (1 for the first).</summary>
        public AdamStep(double b1, double b2, double eps, double epsRoot, bool nesterov, int count)
        {
            Count = count;
            Correction1 = BiasCorrection(b1, count);
            _nesterov = nesterov;
            _decay1 = b1.ToScalar();
            _decay2 = b2.ToScalar();
            _rest1 = (1 - b1).ToScalar();
            _rest2 = (1 - b2).ToScalar();
            _correction1 = Correction1.ToScalar();
            _correction2 = BiasCorrection(b2, count).ToScalar();
            _nextCorrection1 = BiasCorrection(b1, OptState.SafeIncrement(count)).ToScalar();
            _eps = eps.ToScalar();
            if (epsRoot != 0) _epsRoot = epsRoot.ToScalar();
            _kernel = new AdamKernel.Constants(
                (float)b1, (float)(1 - b1), (float)b2, (float)(1 - b2), BiasCorrection(b2, count), (float)eps, (float)epsRoot,
                Factor: 0, Decays: false, DecayFactor: 0, nesterov, BiasCorrection(b1, OptState.SafeIncrement(count)), Correction1);
        }

        /// <summary>The count after this step.</summary>
        public int Count { get; }

        /// <summary>The first moment's bias correction <c>1 − b1ᵗ</c>.</summary>
        public float Correction1 { get; }

        /// <summary><c>(1−b1)·g + b1·m</c>.</summary>
        public Tensor FirstMoment(Tensor g, Tensor m) => FirstMoment(g, m, inPlace: false);

        /// <summary>As <see cref="FirstMoment(Tensor, Tensor)"/>, written into <paramref name="m"/> when <paramref name="inPlace"/>.</summary>
        public Tensor FirstMoment(Tensor g, Tensor m, bool inPlace)
        {
            if (!AdamKernel.Applies(g, m)) return (inPlace ? m.mul_(_decay1) : m.mul(_decay1)).add_(g, _rest1);
            var into = inPlace ? m : empty_like(m);
            AdamKernel.Moment(g, m, into, _kernel.Decay1, _kernel.Rest1, squared: false);
            return into;
        }

        /// <summary><c>b2·v + (1−b2)·g²</c>.</summary>
        public Tensor SecondMoment(Tensor g, Tensor v) => SecondMoment(g, v, inPlace: false);

        /// <summary>As <see cref="SecondMoment(Tensor, Tensor)"/>, written into <paramref name="v"/> when <paramref name="inPlace"/>.</summary>
        public Tensor SecondMoment(Tensor g, Tensor v, bool inPlace)
        {
            if (!AdamKernel.Applies(g, v)) return (inPlace ? v.mul_(_decay2) : v.mul(_decay2)).addcmul_(g, g, _rest2);
            var into = inPlace ? v : empty_like(v);
            AdamKernel.Moment(g, v, into, _kernel.Decay2, _kernel.Rest2, squared: true);
            return into;
        }

        /// <summary>The constants of <see cref="AdamKernel.Step"/> for this step, with the parameter update's factors (no decay).</summary>
        public AdamKernel.Constants KernelStep(double factor, double decayFactor) =>
            _kernel with { Factor = (float)factor, DecayFactor = (float)decayFactor };

        /// <summary>m̂, a new tensor: <c>m/(1−b1ᵗ)</c>, or NAdam's <c>b1·m/(1−b1ᵗ⁺¹) + (1−b1)·g/(1−b1ᵗ)</c>.</summary>
        public Tensor CorrectedFirstMoment(Tensor g, Tensor mu) => _nesterov
            ? mu.div(_nextCorrection1).mul_(_decay1).add_(g.div(_correction1), _rest1)
            : mu.div(_correction1);

        /// <summary><c>√(v/(1−b2ᵗ) + epsRoot) + eps</c>, a new tensor.</summary>
        public Tensor Denominator(Tensor nu)
        {
            var denominator = nu.div(_correction2);
            if (_epsRoot is not null) denominator.add_(_epsRoot, Scalars.One);
            return denominator.sqrt_().add_(_eps, Scalars.One);
        }

        public void Dispose()
        {
            foreach (var s in new[] { _decay1, _decay2, _rest1, _rest2, _correction1, _correction2, _nextCorrection1, _eps, _epsRoot })
                s?.Dispose();
        }
    }
}
