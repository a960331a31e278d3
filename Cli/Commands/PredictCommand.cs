using System.CommandLine;
using Linen.Cli.Data;
using Linen.Cli.Reporting;
using Spectre.Console;
using static TorchSharp.torch;

namespace Linen.Cli.Commands;

/// <summary><c>linen predict --checkpoint FILE IMAGE…</c>: the most likely classes of each image.</summary>
internal static class PredictCommand
{
    private const int TopK = 3;

    /// <summary>Creates the command.</summary>
    public static Command Create(LinenApp app)
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A checkpoint written by linen train.", Required = true };
        var images = new Argument<string[]>("IMAGE") { Description = "PNG or JPEG files (resized to the model's input).", Arity = ArgumentArity.OneOrMore };
        var threads = CommonOptions.Threads();
        var device = CommonOptions.Device();
        var command = new Command("predict", "Classify images with a trained model.") { checkpoint, images, threads, device };
        command.SetAction(parse => app.Guard(parse, () =>
        {
            var torchDevice = CommonOptions.ApplyEngineSettings(parse.GetValue(threads), parse.GetValue(device)!);
            var (spec, model, variables, info) = ModelLoader.Load(app.Models, parse.GetValue(checkpoint)!, torchDevice);
            var files = parse.GetValue(images)!;
            var pixels = files.SelectMany(f => ImageDecoder.Decode(f, spec.Height, spec.Width, spec.Channels)).ToArray();
            var set = new ImageSet(pixels, new int[files.Length], spec.Height, spec.Width, spec.Channels, info.Classes);
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var batch = Batch.Create(set, [.. Enumerable.Range(0, files.Length)], spec.Normalization, torchDevice);
            var probabilities = nn.functional.softmax(model.Apply(variables, batch.Images), -1).cpu();
            var k = Math.Min(TopK, info.Classes.Count);
            var (top, index) = probabilities.topk(k, -1);
            var table = new Table { Border = TableBorder.Rounded };
            table.AddColumns("image", "class", "probability", $"top {k}");
            for (var i = 0; i < files.Length; i++)
            {
                var p = top[i].data<float>().ToArray();
                var c = index[i].data<long>().ToArray();
                var others = string.Join(", ", Enumerable.Range(0, k).Select(j => $"{info.Classes[(int)c[j]]} {Formats.Percent(p[j])}"));
                table.AddRow(Markup.Escape(files[i]), $"[bold]{Markup.Escape(info.Classes[(int)c[0]])}[/]", Formats.Percent(p[0]), Markup.Escape(others));
            }
            app.Terminal.Out.Write(table);
            return 0;
        }));
        return command;
    }
}
