using Linen.Cli.Training;
using Spectre.Console;

namespace Linen.Cli.Reporting;

/// <summary>The tables the program prints: per-epoch metrics and confusion matrices.</summary>
internal static class ResultTables
{
    /// <summary>One row per epoch: train loss, train accuracy, test accuracy.</summary>
    public static Table Epochs(IEnumerable<EpochMetrics> epochs)
    {
        var table = new Table { Border = TableBorder.Rounded };
        table.AddColumn("epoch");
        table.AddColumn(new TableColumn("train loss").RightAligned());
        table.AddColumn(new TableColumn("train accuracy").RightAligned());
        table.AddColumn(new TableColumn("test accuracy").RightAligned());
        foreach (var e in epochs)
            table.AddRow(e.Epoch.ToString(), e.TrainLoss.ToString("F4"), Formats.Percent(e.TrainAccuracy), Formats.Percent(e.TestAccuracy));
        return table;
    }

    /// <summary>The confusion matrix: a row per true class, a column per predicted class, the diagonal in green, and each class's recall.</summary>
    public static Table Confusion(Evaluation evaluation, IReadOnlyList<string> classes)
    {
        var table = new Table { Border = TableBorder.Rounded, Title = new TableTitle("confusion matrix (rows: true class, columns: predicted)") };
        table.AddColumn("");
        foreach (var c in classes) table.AddColumn(new TableColumn(Markup.Escape(c)).RightAligned());
        table.AddColumn(new TableColumn("recall").RightAligned());
        for (var i = 0; i < classes.Count; i++)
        {
            var row = Enumerable.Range(0, classes.Count).Sum(j => evaluation.Confusion[i, j]);
            var cells = Enumerable.Range(0, classes.Count)
                .Select(j => i == j ? $"[green]{evaluation.Confusion[i, j]}[/]" : evaluation.Confusion[i, j].ToString());
            var recall = row == 0 ? "-" : Formats.Percent((double)evaluation.Confusion[i, i] / row);
            table.AddRow([Markup.Escape(classes[i]), .. cells, recall]);
        }
        return table;
    }
}
