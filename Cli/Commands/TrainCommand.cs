using System.CommandLine;
using Linen.Cli.Data;
using Linen.Cli.Reporting;
using Linen.Cli.Training;
using Spectre.Console;

namespace Linen.Cli.Commands;

/// <summary><c>linen train</c>: trains a model, checkpointing every epoch, and reports accuracy, curves and metrics.</summary>
internal static class TrainCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(LinenApp app)
    {
        var model = new Option<string>("--model") { Description = $"The model: {app.Models.Names}.", Required = true };
        var dataset = new Option<string>("--dataset") { Description = "mnist, or imagefolder:PATH (one sub-folder per class).", DefaultValueFactory = _ => "mnist" };
        var epochs = new Option<int>("--epochs") { Description = "Epochs to train.", DefaultValueFactory = _ => 4 };
        var batchSize = CommonOptions.BatchSize(64);
        var optimizer = new Option<string>("--optimizer") { Description = "adam, adamw or sgd.", DefaultValueFactory = _ => "adam" };
        optimizer.AcceptOnlyFromAmong(OptimizerSettings.Names);
        var lr = new Option<double?>("--lr") { Description = "The (peak) learning rate; default: the model's (3e-3, ViTs 1e-3)." };
        var schedule = new Option<string>("--schedule") { Description = "constant, or cosine decay to 0 over the run.", DefaultValueFactory = _ => "cosine" };
        schedule.AcceptOnlyFromAmong(OptimizerSettings.Schedules);
        var momentum = new Option<double>("--momentum") { Description = "SGD momentum (0: none).", DefaultValueFactory = _ => 0.9 };
        var weightDecay = new Option<double>("--weight-decay") { Description = "AdamW weight decay (optax's default).", DefaultValueFactory = _ => 1e-4 };
        var seed = new Option<long>("--seed") { Description = "The seed of every key (initialisation, data order, dropout, augmentation).", DefaultValueFactory = _ => 0 };
        var augment = new Option<bool>("--augment") { Description = "Random shifts of up to 2 pixels (and left-right flips for image folders)." };
        var output = new Option<string?>("--out") { Description = "Output directory (default: runs/MODEL-DATASET)." };
        var resume = new Option<bool>("--resume") { Description = "Continue from the checkpoint in --out; gives the same result as an uninterrupted run." };
        var pretrained = new Option<string?>("--pretrained") { Description = "Start from the parameters in FILE (Flax msgpack or safetensors); mismatched ones, like a new head, stay fresh." };
        var limitTrain = new Option<int?>("--limit-train") { Description = "Use only the first N training images." };
        var limitTest = CommonOptions.LimitTest();
        var threads = CommonOptions.Threads();
        var device = CommonOptions.Device();
        var dataDir = CommonOptions.DataDir();
        var command = new Command("train", "Train a model; checkpoint, metrics.json and a plot of the curves go to --out.")
        {
            model, dataset, epochs, batchSize, optimizer, lr, schedule, momentum, weightDecay, seed, augment, output, resume, pretrained,
            limitTrain, limitTest, threads, device, dataDir,
        };
        command.SetAction(parse => app.Guard(parse, () =>
        {
            var spec = app.Models.Get(parse.GetValue(model)!);
            var epochCount = Positive(parse.GetValue(epochs), "--epochs");
            var batch = Positive(parse.GetValue(batchSize), "--batch-size");
            var threadCount = parse.GetValue(threads);
            var torchDevice = CommonOptions.ApplyEngineSettings(threadCount, parse.GetValue(device)!);
            var datasetName = parse.GetValue(dataset)!;
            var (train, test) = DatasetSource.Load(datasetName, spec.Height, spec.Width, spec.Channels, parse.GetValue(dataDir));
            train = train.Take(parse.GetValue(limitTrain));
            test = test.Take(parse.GetValue(limitTest));
            var isFolder = datasetName != "mnist";
            var config = new TrainingConfig(
                spec, datasetName, epochCount, batch,
                new OptimizerSettings(parse.GetValue(optimizer)!, parse.GetValue(lr) ?? spec.LearningRate, parse.GetValue(schedule)!, parse.GetValue(momentum), parse.GetValue(weightDecay)),
                parse.GetValue(seed), parse.GetValue(augment) ? new Augmentation(MaxShift: 2, FlipHorizontal: isFolder) : null, torchDevice);
            var outDirectory = parse.GetValue(output) ?? Path.Combine("runs", $"{spec.Name}-{(isFolder ? "imagefolder" : datasetName)}");
            var console = app.Terminal.Out;
            console.MarkupLineInterpolated(
                $"Training [bold]{spec.Name}[/] on {datasetName} ({train.Count} training, {test.Count} test images) for {epochCount} epochs, {threadCount} threads, {torchDevice.type}.");
            var session = new TrainingSession(config, outDirectory, threadCount, app.Observers(console));
            var history = session.Run(train, test, parse.GetValue(resume), parse.GetValue(pretrained));
            console.Write(ResultTables.Epochs(history.Epochs));
            console.MarkupLineInterpolated($"[bold green]Test accuracy: {Formats.Percent(history.Epochs[^1].TestAccuracy)}[/]");
            console.MarkupLineInterpolated($"Checkpoint: {session.CheckpointPath}");
            console.MarkupLineInterpolated($"Curves:     {session.PlotPath}");
            console.MarkupLineInterpolated($"Metrics:    {session.MetricsPath}");
            return 0;
        }));
        return command;
    }

    private static int Positive(int value, string option) =>
        value >= 1 ? value : throw new UserException($"{option} must be at least 1, not {value}.", UserException.Usage);
}
