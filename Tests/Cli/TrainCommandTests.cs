using System.Text.Json;
using Linen.Cli.Training;
using Xunit;

namespace Linen.Tests.Cli;

public sealed class TrainCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void LeNetTrainsWellAboveChanceOnRealMnistOrOnAFolderWhenMnistIsUnavailable()
    {
        // 2,000 real MNIST images when the data can be had (CI fetches it first); otherwise a generated folder.
        var (dataset, extra, chance) = RealMnist.Directory is { } mnist
            ? ("mnist", new[] { "--data-dir", mnist, "--limit-train", "2000", "--limit-test", "1000" }, 0.1)
            : ($"imagefolder:{SyntheticImages.WriteFolder(_dir.File("folder"), 40)}", Array.Empty<string>(), 0.25);
        var app = new TestApp();

        var code = app.Run(ModelRegistry.Default, ["train", "--model", "lenet", "--dataset", dataset, "--epochs", "3", "--batch-size", "32",
            "--threads", "2", "--out", _dir.File("run"), .. extra]);

        Assert.True(code == 0, app.Error);
        var metrics = JsonDocument.Parse(File.ReadAllText(_dir.File("run/metrics.json"))).RootElement;
        var history = metrics.GetProperty("history");
        Assert.Equal(3, history.GetArrayLength());
        var accuracy = history[2].GetProperty("test_accuracy").GetDouble();
        Assert.True(accuracy > chance + 0.7, $"test accuracy {accuracy} on {dataset}");
        Assert.True(history[2].GetProperty("train_loss").GetDouble() < history[0].GetProperty("train_loss").GetDouble());
        Assert.True(new FileInfo(_dir.File("run/curves.png")).Length > 1000);
        Assert.Contains("Test accuracy: ", app.Out);
    }

    [Fact]
    public void ResumeAfterAnInterruptionGivesTheSameMetricsAndParameters()
    {
        var folder = $"imagefolder:{SyntheticImages.WriteFolder(_dir.File("folder"), 30)}";
        string[] common = ["train", "--model", "tiny", "--dataset", folder, "--epochs", "3", "--batch-size", "16", "--threads", "2", "--augment"];
        Assert.Equal(0, new TestApp().Run([.. common, "--out", _dir.File("straight")]));

        var interrupted = new TestApp(stopAfterEpoch: 1);
        Assert.NotEqual(0, interrupted.Run([.. common, "--out", _dir.File("resumed")]));
        Assert.Contains("interrupted after epoch 1", interrupted.Error);
        var resumed = new TestApp();
        Assert.Equal(0, resumed.Run([.. common, "--out", _dir.File("resumed"), "--resume"]));

        Assert.Contains("Resuming", resumed.Out);
        Assert.Equal(File.ReadAllText(_dir.File("straight/metrics.json")), File.ReadAllText(_dir.File("resumed/metrics.json")));
        Assert.Equal(File.ReadAllBytes(_dir.File("straight/checkpoint.msgpack")), File.ReadAllBytes(_dir.File("resumed/checkpoint.msgpack")));
    }

    [Fact]
    public void TwoRunsWithTheSameSeedWriteIdenticalMetrics()
    {
        var folder = $"imagefolder:{SyntheticImages.WriteFolder(_dir.File("folder"), 20)}";
        string[] common = ["train", "--model", "tiny", "--dataset", folder, "--epochs", "2", "--batch-size", "16", "--threads", "2"];

        Assert.Equal(0, new TestApp().Run([.. common, "--out", _dir.File("a")]));
        Assert.Equal(0, new TestApp().Run([.. common, "--out", _dir.File("b")]));
        Assert.Equal(0, new TestApp().Run([.. common, "--out", _dir.File("c"), "--seed", "1"]));

        var a = File.ReadAllText(_dir.File("a/metrics.json"));
        Assert.Equal(a, File.ReadAllText(_dir.File("b/metrics.json")));
        Assert.NotEqual(a.Replace("\"seed\": 0", "\"seed\": 1"), File.ReadAllText(_dir.File("c/metrics.json")));
    }
}
