using System.CommandLine;
using Linen.Cli.Data;
using Linen.Cli.Reporting;
using Linen.Cli.Training;
using Spectre.Console;

namespace Linen.Cli.Commands;

/// <summary><c>linen eval --checkpoint FILE</c>: test accuracy and confusion matrix of a trained model.</summary>
internal static class EvalCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(LinenApp app)
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A checkpoint written by linen train.", Required = true };
        var dataset = new Option<string?>("--dataset") { Description = "Evaluate on this data set's test split instead of the checkpoint's." };
        var limitTest = CommonOptions.LimitTest();
        var threads = CommonOptions.Threads();
        var device = CommonOptions.Device();
        var dataDir = CommonOptions.DataDir();
        var command = new Command("eval", "Evaluate a checkpoint: accuracy and confusion matrix on the test split.")
        {
            checkpoint, dataset, limitTest, threads, device, dataDir,
        };
        command.SetAction(parse => app.Guard(parse, () =>
        {
            var torchDevice = CommonOptions.ApplyEngineSettings(parse.GetValue(threads), parse.GetValue(device)!);
            var path = parse.GetValue(checkpoint)!;
            var (spec, model, variables, info) = ModelLoader.Load(app.Models, path, torchDevice);
            var datasetName = parse.GetValue(dataset) ?? info.Dataset;
            var (_, test) = DatasetSource.Load(datasetName, spec.Height, spec.Width, spec.Channels, parse.GetValue(dataDir));
            if (!test.ClassNames.SequenceEqual(info.Classes))
                throw new UserException($"{datasetName} has classes [{string.Join(", ", test.ClassNames)}], the checkpoint [{string.Join(", ", info.Classes)}].");
            test = test.Take(parse.GetValue(limitTest));
            var evaluation = Evaluation.Run(model, variables, test, spec.Normalization, torchDevice);
            var console = app.Terminal.Out;
            console.Write(ResultTables.Confusion(evaluation, info.Classes));
            console.MarkupLineInterpolated(
                $"[bold green]{spec.Name} after {info.History.Epochs.Count} epochs: accuracy {Formats.Percent(evaluation.Accuracy)}[/] on {evaluation.Total} test images of {datasetName}.");
            return 0;
        }));
        return command;
    }
}
