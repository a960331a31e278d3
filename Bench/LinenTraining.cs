using Linen.Functional;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Bench;

/// <summary>
/// The training loop a Linen user writes, as in Flax: <c>Autodiff.ValueAndGrad</c> of the mean softmax
/// cross-entropy of the model's <c>Apply</c> over the parameters, <c>TrainState.ApplyGradients</c> with
/// <c>Optax.Adam</c>, and <c>Lifetime.Advance</c> to free each old state and every temporary.
/// </summary>
internal sealed class LinenTraining
{
    private readonly Tensor _inputs;
    private readonly Tensor _labels;
    private readonly PrngKey _dropoutKey;

    /// <summary>Trains <paramref name="model"/> from <paramref name="variables"/> (default: its <c>Init</c> with <paramref name="seed"/>).</summary>
    public LinenTraining(Module model, Tensor inputs, Tensor labels, long seed, Variables? variables = null, double learningRate = 1e-3)
    {
        (_inputs, _labels) = (inputs, labels);
        var (paramsKey, dropoutKey) = PrngKey.FromSeed(seed).Split();
        _dropoutKey = dropoutKey;
        State = TrainState.Create(model, variables ?? model.Init(paramsKey, inputs), Optax.Adam(learningRate));
    }

    /// <summary>The current training state.</summary>
    public TrainState State { get; private set; }

    /// <summary>One step: forward, loss, backward, Adam.</summary>
    public void Step()
    {
        var rngs = Rngs.Of(("dropout", _dropoutKey.FoldIn((uint)State.Step)));
        State = Lifetime.Advance(State, s => Step(s, _inputs, _labels, rngs));
    }

    private static TrainState Step(TrainState state, Tensor inputs, Tensor labels, Rngs rngs)
    {
        var (_, grads) = Autodiff.ValueAndGrad(
            p => Losses.SoftmaxCrossEntropyWithIntegerLabels(
                state.Model.Apply(state.Collections.WithParams(p), inputs, rngs, train: true), labels).mean(),
            state.Params);
        return state.ApplyGradients(grads);
    }
}
