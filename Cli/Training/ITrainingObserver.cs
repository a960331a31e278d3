namespace Linen.Cli.Training;

/// <summary>What a training session shows while it runs (a live console, or nothing in tests).</summary>
internal interface ITrainingObserver
{
    /// <summary>An informational line (resuming, pretrained weights loaded, …).</summary>
    void Note(string line);

    /// <summary>Runs one epoch's <paramref name="body"/>, which reports each step (index from 0, loss) through the callback it is given.</summary>
    T Epoch<T>(int epoch, int epochs, int steps, Func<Action<int, double>, T> body);

    /// <summary>An epoch has finished, taking <paramref name="elapsed"/>.</summary>
    void EpochDone(EpochMetrics metrics, int epochs, TimeSpan elapsed);
}
