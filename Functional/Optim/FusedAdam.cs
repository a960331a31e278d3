using TorchSharp;
using static TorchSharp.torch;

namespace Linen.Functional;

public static partial class Optax
{
    /// <summary>
    /// <see cref="Adam"/>'s or <see cref="AdamW"/>'s update applied to the parameters in one pass over the leaves: the
    /// moments exactly as <see cref="ScaleByAdam"/> computes them, then <c>p − lr·m̂/d</c> (and <c>− lr·wd·p</c>). Float32
    /// leaves in CPU memory take one pass of <see cref="AdamKernel.Step"/>; others 8 LibTorch kernels and 4 new tensors,
    /// with <c>addcdiv</c> for the update. The chain builds a tree per stage (the scaled moments, the decayed and the
    /// scaled updates, the sum): 11 kernels and 6 new tensors per leaf, which on a small model cost more than the
    /// forward pass. It leaves the chain's state, so both paths mix freely. Under
    /// <see cref="Lifetime.Advance{T}(T, Func{T, T})"/> the moments and parameters it made in the previous step are
    /// updated in place (<see cref="Donation"/>).
    /// For AdamW, <c>weightDecay</c> and <c>mask</c> are its constant decay's, whose state (between Adam's and the
    /// learning rate's) does not change; null for Adam.
    /// </summary>
    private static UpdateAndApplyFn FusedAdam(ScalarOrSchedule learningRate, double b1, double b2, double eps, double epsRoot,
        bool nesterov, double? weightDecay = null, Func<string, bool>? mask = null) =>
        (updates, state, parameters) =>
        {
            var inner = ChainStates(state, weightDecay is null ? 2 : 3);
            var adam = inner[0].Expect<ScaleByAdamState>(nameof(ScaleByAdam));
            TreeMath.RequireMatch(nameof(ScaleByAdam), updates, adam.Mu, "first moment");
            TreeMath.RequireMatch(nameof(ApplyUpdates), updates, parameters, "parameters", "Updates must have the parameters' structure and shapes.");
            var (stepSize, learningRateState) = LearningRateStep(learningRate, inner[^1]);
            var rate = weightDecay ?? 0;
            using var step = new AdamStep(b1, b2, eps, epsRoot, nesterov, OptState.SafeIncrement(adam.Count));
            // Without Nesterov m̂ = m/(1−b1ᵗ): the correction folds into addcdiv's factor.
            using var factor = (nesterov ? stepSize : stepSize / step.Correction1).ToScalar();
            using var decayFactor = (stepSize * rate).ToScalar();
            var (g, m, v, p) = (updates.Leaves.ToList(), adam.Mu.Leaves.ToList(), adam.Nu.Leaves.ToList(), parameters.Leaves.ToList());
            var decayed = mask is null ? null : parameters.Paths.Select(mask).ToArray();
            var (mu, nu, next) = (new Tensor[p.Count], new Tensor[p.Count], new Tensor[p.Count]);
            var kernel = step.KernelStep(nesterov ? stepSize : stepSize / step.Correction1, stepSize * rate);
            for (int i = 0; i < p.Count; i++)
            {
                // Moments and parameters an earlier step made are overwritten when Lifetime.Advance donates the state:
                // the same arithmetic, without new buffers.
                var momentsInPlace = Donation.CanOverwrite(m[i]) && Donation.CanOverwrite(v[i]);
                var decays = rate != 0 && (decayed is null || decayed[i]);
                if (AdamKernel.Applies(g[i], m[i], v[i], p[i]))
                {
                    // Element by element, so the decay may read the old parameter that the same pass overwrites.
                    var inPlace = Donation.CanOverwrite(p[i]);
                    var (mOut, vOut) = momentsInPlace ? (m[i], v[i]) : (empty_like(m[i]), empty_like(v[i]));
                    var pOut = inPlace ? p[i] : empty_like(p[i]);
                    AdamKernel.Step(kernel with { Decays = decays }, g[i], m[i], v[i], p[i], mOut, vOut, pOut);
                    (mu[i], nu[i]) = (Donation.HandOver(mOut, momentsInPlace), Donation.HandOver(vOut, momentsInPlace));
                    next[i] = Donation.HandOver(pOut, inPlace);
                    continue;
                }
                mu[i] = Donation.HandOver(step.FirstMoment(g[i], m[i], momentsInPlace), momentsInPlace);
                nu[i] = Donation.HandOver(step.SecondMoment(g[i], v[i], momentsInPlace), momentsInPlace);
                var corrected = nesterov ? step.CorrectedFirstMoment(g[i], mu[i]) : mu[i];
                // AdamW's decay reads the old parameter after the step, so a decayed leaf is never overwritten.
                var paramInPlace = !decays && corrected.dtype == p[i].dtype && Donation.CanOverwrite(p[i]);
                var updated = paramInPlace
                    ? p[i].addcdiv_(corrected, step.Denominator(nu[i]), factor)
                    : p[i].addcdiv(corrected, step.Denominator(nu[i]), factor);
                if (decays) updated.add_(p[i], decayFactor);
                next[i] = Donation.HandOver(updated.dtype == p[i].dtype ? updated : updated.to_type(p[i].dtype), paramInPlace);
            }
            var adamState = new ScaleByAdamState(step.Count, adam.Mu.WithLeaves(mu), adam.Nu.WithLeaves(nu));
            OptState[] states = weightDecay is null ? [adamState, learningRateState] : [adamState, inner[1], learningRateState];
            return (parameters.WithLeaves(next), new ChainState([.. states]));
        };
}
