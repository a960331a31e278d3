using Spectre.Console;
using Spectre.Console.Rendering;

namespace Linen.Cli.Reporting;

/// <summary>Renders a <see cref="ModelSummary"/> as Flax's <c>tabulate</c> lays it out.</summary>
internal static class SummaryTable
{
    /// <summary>
    /// The table: path, module, inputs, outputs, multiply-adds (when any row has them), one column per collection;
    /// a <c>Total</c> row; the grand total as caption.
    /// </summary>
    public static Table Render(ModelSummary summary)
    {
        var table = new Table { Title = new TableTitle($"{summary.ModelName} Summary"), Border = TableBorder.Rounded };
        var showMacs = summary.Rows.Any(r => r.MultiplyAdds is not null);
        table.AddColumns("path", "module", "inputs", "outputs");
        if (showMacs) table.AddColumn(new TableColumn("macs").RightAligned());
        foreach (var c in summary.Collections) table.AddColumn(c);
        foreach (var row in summary.Rows)
        {
            IRenderable[] cells =
            [
                new Text(row.Path), new Text(row.Module), new Text(row.Inputs), new Text(row.Outputs),
                .. showMacs ? [new Text(row.MultiplyAdds is { } n ? Formats.Count(n) : "")] : Array.Empty<IRenderable>(),
                .. summary.Collections.Select(c => Cell(row.Variables[c])),
            ];
            table.AddRow(cells);
        }
        IRenderable[] footer =
        [
            new Text(""), new Text(""), new Text(""), new Markup("[bold]Total[/]"),
            .. showMacs ? [new Text("")] : Array.Empty<IRenderable>(),
            .. summary.Collections.Select(c => CountCell(summary.Total(c))),
        ];
        table.AddRow(footer);
        var grand = summary.Collections.Select(summary.Total).Aggregate((0L, 0L), (a, t) => (a.Item1 + t.Count, a.Item2 + t.Bytes));
        table.Caption = new TableTitle($"Total Parameters: {Formats.Count(grand.Item1)} ({Formats.Bytes(grand.Item2)})");
        return table;
    }

    private static IRenderable Cell(IReadOnlyList<(string Name, TorchSharp.torch.Tensor Value)> leaves)
    {
        if (leaves.Count == 0) return new Text("");
        var lines = leaves.Select(l => Markup.Escape($"{l.Name}: {Formats.DtypeShape(l.Value.dtype, l.Value.shape)}"));
        var (count, bytes) = ModelSummary.Size(leaves);
        return new Markup(string.Join('\n', lines) + $"\n\n[bold]{Formats.Count(count)} ({Formats.Bytes(bytes)})[/]");
    }

    private static IRenderable CountCell((long Count, long Bytes) total) =>
        new Markup($"[bold]{Formats.Count(total.Count)} ({Formats.Bytes(total.Bytes)})[/]");
}
