using System.Diagnostics;
using Linen.Cli.Data;
using Linen.Cli.Reporting;
using Linen.Functional;

namespace Linen.Cli.Training;

/// <summary>
/// A training run on disk: starts fresh (optionally from pretrained parameters) or continues the checkpoint in
/// the output directory, and after every epoch writes the checkpoint, <c>metrics.json</c> and the curves plot.
/// </summary>
/// <param name="config">The run's settings.</param>
/// <param name="outDirectory">Where the checkpoint, metrics and plot go.</param>
/// <param name="threads">The thread count, recorded in <c>metrics.json</c>.</param>
/// <param name="observer">What shows progress.</param>
internal sealed class TrainingSession(TrainingConfig config, string outDirectory, int threads, ITrainingObserver observer)
{
    /// <summary>The checkpoint's path.</summary>
    public string CheckpointPath => Path.Combine(outDirectory, TrainingCheckpoint.FileName);

    /// <summary>The metrics file's path.</summary>
    public string MetricsPath => Path.Combine(outDirectory, MetricsFile.FileName);

    /// <summary>The plot's path.</summary>
    public string PlotPath => Path.Combine(outDirectory, CurvesPlot.FileName);

    /// <summary>Trains until <see cref="TrainingConfig.Epochs"/> epochs are done and returns the whole history.</summary>
    /// <param name="train">The training set.</param>
    /// <param name="test">The test set.</param>
    /// <param name="resume">Continue the checkpoint in the output directory.</param>
    /// <param name="pretrained">A file to take initial parameters from (fresh runs only).</param>
    /// <exception cref="UserException">A checkpoint exists without <paramref name="resume"/>, or was made with other settings or another model.</exception>
    public TrainingHistory Run(ImageSet train, ImageSet test, bool resume, string? pretrained)
    {
        Directory.CreateDirectory(outDirectory);
        var model = config.Model.Create(train.NumClasses);
        var trainer = new Trainer(config, train, test);
        var info = new CheckpointInfo(config.Model.Name, config.Dataset, train.ClassNames, config.Epochs, config.BatchSize, config.Seed,
            config.Optimizer, config.Augmentation is not null, TrainingHistory.Empty);
        var (state, history) = Start(model, trainer, info, resume, pretrained);
        for (var epoch = history.Epochs.Count; epoch < config.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            var e = epoch;
            (state, var metrics, var curve) = observer.Epoch(epoch + 1, config.Epochs, trainer.StepsPerEpoch, onStep => trainer.RunEpoch(state, e, onStep));
            history = history.Add(metrics, curve);
            var saved = info with { History = history };
            TrainingCheckpoint.Save(CheckpointPath, state, saved);
            MetricsFile.Write(MetricsPath, saved, threads);
            CurvesPlot.Save(PlotPath, history, $"{config.Model.Name} on {config.Dataset}");
            observer.EpochDone(metrics, config.Epochs, clock.Elapsed);
        }
        return history;
    }

    private (TrainState State, TrainingHistory History) Start(Module model, Trainer trainer, CheckpointInfo info, bool resume, string? pretrained)
    {
        var exists = File.Exists(CheckpointPath);
        if (exists && !resume)
            throw new UserException($"{outDirectory} already holds a checkpoint: pass --resume to continue it, or choose another --out.", UserException.Usage);
        if (!exists)
        {
            if (resume) observer.Note($"No checkpoint in {outDirectory} yet: starting from epoch 1.");
            if (pretrained is null) return (trainer.CreateState(model), TrainingHistory.Empty);
            var notes = new List<string>();
            var state = trainer.CreateState(model, initial =>
            {
                var read = config.Model.ReadPretrained is { } reader ? file => reader(file, model) : (Func<string, ParamTree>?)null;
                var (merged, report) = PretrainedParams.Merge(initial, pretrained, read);
                notes.AddRange(report);
                return merged;
            });
            notes.ForEach(observer.Note);
            return (state, TrainingHistory.Empty);
        }
        var (tree, stored) = TrainingCheckpoint.Load(CheckpointPath);
        var differences = stored.Settings().Zip(info.Settings()).Where(p => p.First.Value != p.Second.Value)
            .Select(p => $"{p.First.Option} {p.First.Value} there, {p.Second.Value} here").ToList();
        if (differences.Count > 0)
            throw new UserException($"Cannot resume {CheckpointPath}: it was made with other settings ({string.Join("; ", differences)}).", UserException.Usage);
        var restored = TrainingCheckpoint.Restore(trainer.CreateState(model), tree, CheckpointPath, config.Model.Name);
        observer.Note($"Resuming {CheckpointPath} after epoch {stored.History.Epochs.Count} (step {restored.Step}).");
        return (restored, stored.History);
    }
}
