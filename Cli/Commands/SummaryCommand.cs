using System.CommandLine;
using Linen.Cli.Reporting;
using static TorchSharp.torch;

namespace Linen.Cli.Commands;

/// <summary><c>linen summary --model NAME</c>: the model's modules and parameters, as Flax's <c>tabulate</c>.</summary>
internal static class SummaryCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(LinenApp app)
    {
        var model = new Option<string>("--model") { Description = $"The model: {app.Models.Names}.", Required = true };
        var classes = new Option<int>("--classes") { Description = "Number of output classes.", DefaultValueFactory = _ => 10 };
        var command = new Command("summary", "Print a model's modules, parameter shapes and counts (Flax tabulate style).") { model, classes };
        command.SetAction(parse => app.Guard(parse, () =>
        {
            var spec = app.Models.Get(parse.GetValue(model)!);
            using var scope = NewDisposeScope();
            app.Terminal.Out.Write(SummaryTable.Render(ModelSummary.Of(spec.Create(parse.GetValue(classes)), spec.InputShape(1))));
            return 0;
        }));
        return command;
    }
}
