using Linen.Cli.Training;
using ScottPlot;

namespace Linen.Cli.Reporting;

/// <summary>The training curves as a PNG: the loss (left axis) and the train and test accuracy (right axis) against the epoch.</summary>
internal static class CurvesPlot
{
    /// <summary>The file name in a run's output directory.</summary>
    public const string FileName = "curves.png";

    /// <summary>Draws <paramref name="history"/> into a PNG at <paramref name="path"/>.</summary>
    public static void Save(string path, TrainingHistory history, string title)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel("training loss");
        plot.Axes.Right.Label.Text = "accuracy";
        var stepsPerEpoch = history.Epochs.Count > 0 ? history.Epochs[0].Steps : 1;
        var loss = plot.Add.Scatter(
            history.LossCurve.Select(p => (double)p.Step / stepsPerEpoch).ToArray(), history.LossCurve.Select(p => p.Loss).ToArray());
        loss.LegendText = "training loss";
        loss.MarkerSize = 0;
        var epochs = history.Epochs.Select(e => (double)e.Epoch).ToArray();
        Add(plot, epochs, history.Epochs.Select(e => e.TrainAccuracy).ToArray(), "train accuracy");
        Add(plot, epochs, history.Epochs.Select(e => e.TestAccuracy).ToArray(), "test accuracy");
        plot.ShowLegend(Alignment.MiddleRight);
        plot.SavePng(path, 900, 540);
    }

    private static void Add(Plot plot, double[] xs, double[] ys, string label)
    {
        var series = plot.Add.Scatter(xs, ys);
        series.LegendText = label;
        series.Axes.YAxis = plot.Axes.Right;
    }
}
