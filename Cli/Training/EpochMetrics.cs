namespace Linen.Cli.Training;

/// <summary>What one epoch measured. Only deterministic values: two runs with the same seed and threads agree exactly.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Steps">Gradient steps taken in the epoch.</param>
/// <param name="TrainLoss">The mean training loss over the epoch's steps.</param>
/// <param name="TrainAccuracy">The fraction of training examples classified right during the epoch (in training mode).</param>
/// <param name="TestAccuracy">The test accuracy after the epoch.</param>
internal sealed record EpochMetrics(int Epoch, int Steps, double TrainLoss, double TrainAccuracy, double TestAccuracy);

/// <summary>The mean training loss of a window of steps, for the loss curve.</summary>
/// <param name="Step">The global step at the end of the window.</param>
/// <param name="Loss">The mean loss over the window.</param>
internal sealed record LossPoint(long Step, double Loss);

/// <summary>Everything measured so far in a run; it travels in the checkpoint so a resumed run reports the whole history.</summary>
/// <param name="Epochs">One entry per finished epoch.</param>
/// <param name="LossCurve">Windowed training losses.</param>
internal sealed record TrainingHistory(IReadOnlyList<EpochMetrics> Epochs, IReadOnlyList<LossPoint> LossCurve)
{
    /// <summary>No epoch yet.</summary>
    public static readonly TrainingHistory Empty = new([], []);

    /// <summary>This history with one more epoch and its loss points.</summary>
    public TrainingHistory Add(EpochMetrics epoch, IEnumerable<LossPoint> points) => new([.. Epochs, epoch], [.. LossCurve, .. points]);
}
