using Linen.Cli.Data;
using Linen.Functional;
using static TorchSharp.torch;

namespace Linen.Cli.Training;

/// <summary>
/// Runs training epochs: per step, the loss and its gradient over the parameters (with <c>batch_stats</c> as
/// a mutable collection when the model has one), then <c>TrainState.ApplyGradients</c>; each step is one
/// <c>Lifetime.Advance</c>, so the previous state and every temporary are freed and memory stays flat.
/// </summary>
/// <param name="config">The run's settings.</param>
/// <param name="train">The training set.</param>
/// <param name="test">The test set.</param>
internal sealed class Trainer(TrainingConfig config, ImageSet train, ImageSet test)
{
    private const string BatchStats = "batch_stats";

    /// <summary>Steps per loss-curve point.</summary>
    public const int LossWindow = 50;

    /// <summary>Gradient steps per epoch.</summary>
    public int StepsPerEpoch => train.Count / config.BatchSize;

    /// <summary>A fresh state: parameters from <c>Init</c> on the run's init key, the optimizer for the whole run.</summary>
    public TrainState CreateState(Module model, Func<ParamTree, ParamTree>? adjustParams = null)
    {
        using var scope = NewDisposeScope();
        var variables = model.Init(TrainingKeys.FromSeed(config.Seed).Init, zeros(config.Model.InputShape(1), device: config.Device));
        if (adjustParams is not null) variables = variables.WithParams(adjustParams(variables.Params));
        var state = TrainState.Create(model, variables, config.Optimizer.Build((long)StepsPerEpoch * config.Epochs));
        foreach (var t in ((ITensorContainer)state).Tensors) t.MoveToOuterDisposeScope();
        return state;
    }

    /// <summary>Runs epoch <paramref name="epoch"/> (from 0) and evaluates on the test set.</summary>
    /// <param name="state">The state before the epoch; consumed.</param>
    /// <param name="epoch">The epoch, from 0.</param>
    /// <param name="onStep">Called after each step with the step index (from 0) and its loss.</param>
    public (TrainState State, EpochMetrics Metrics, IReadOnlyList<LossPoint> Curve) RunEpoch(TrainState state, int epoch, Action<int, double> onStep)
    {
        var keys = TrainingKeys.FromSeed(config.Seed);
        var plan = EpochPlan.Training(keys.Shuffle, epoch, train.Count, config.BatchSize);
        var hasBatchStats = state.Collections.Has(BatchStats);
        double lossSum = 0, windowSum = 0;
        long correct = 0;
        var curve = new List<LossPoint>();
        for (var step = 0; step < plan.Steps; step++)
        {
            var (dropout, augment) = keys.Step(epoch, step);
            var indices = plan.BatchIndices(step).ToArray();
            (state, (double Loss, long Correct) result) = Lifetime.Advance(state, s =>
            {
                var batch = Batch.Create(train, indices, config.Model.Normalization, config.Device, config.Augmentation, augment);
                return Step(s, batch, Rngs.Of(("dropout", dropout)), hasBatchStats);
            });
            lossSum += result.Loss;
            windowSum += result.Loss;
            correct += result.Correct;
            if ((step + 1) % LossWindow == 0 || step + 1 == plan.Steps)
            {
                var size = ((step % LossWindow) + 1);
                curve.Add(new LossPoint(state.Step, windowSum / size));
                windowSum = 0;
            }
            onStep(step, result.Loss);
        }
        var testAccuracy = Evaluation.Run(state.Model, state.Variables, test, config.Model.Normalization, config.Device).Accuracy;
        var metrics = new EpochMetrics(epoch + 1, plan.Steps, lossSum / plan.Steps, (double)correct / (plan.Steps * config.BatchSize), testAccuracy);
        return (state, metrics, curve);
    }

    private static (TrainState State, (double Loss, long Correct) Result) Step(TrainState s, Batch batch, Rngs rngs, bool hasBatchStats)
    {
        var (loss, aux, grads) = Autodiff.ValueAndGrad(p =>
        {
            var variables = s.Collections.WithParams(p);
            var (logits, mutated) = hasBatchStats
                ? s.Model.Apply(variables, batch.Images, BatchStats, rngs, train: true)
                : (s.Model.Apply(variables, batch.Images, rngs, train: true), Variables.Empty);
            var value = Losses.SoftmaxCrossEntropyWithIntegerLabels(logits, batch.Labels).mean();
            return (value, (Correct: logits.argmax(-1).eq(batch.Labels).sum(), Mutated: mutated));
        }, s.Params);
        var next = s.ApplyGradients(grads);
        if (hasBatchStats) next = next with { Collections = s.Collections.Merge(aux.Mutated) };
        return (next, (loss.item<float>(), aux.Correct.item<long>()));
    }
}
