using Linen.Cli.Data;
using Linen.Cli.Training;
using Xunit;

namespace Linen.Tests.Cli;

public sealed class CliErrorTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void UnknownModelListsTheKnownOnesWithExitCodeTwo()
    {
        var app = new TestApp();

        Assert.Equal(2, app.Run("train", "--model", "lenet5000", "--out", _dir.File("run")));
        Assert.Equal("error: Unknown model 'lenet5000'. Known models: tiny.\n", app.Error);
    }

    [Fact]
    public void MissingDataIsOneLine()
    {
        var app = new TestApp();

        Assert.Equal(1, app.Run("train", "--model", "tiny", "--data-dir", _dir.File("nothing"), "--out", _dir.File("run")));
        Assert.Equal(
            $"error: MNIST not found in --data-dir {_dir.File("nothing")}: missing train-images-idx3-ubyte, train-labels-idx1-ubyte, " +
            "t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (raw or .gz).\n", app.Error);
    }

    [Fact]
    public void CorruptCheckpointNamesTheFileAndOffset()
    {
        File.WriteAllBytes(_dir.File("bad.msgpack"), [0x82, 0xa4, (byte)'s', (byte)'t']);
        var app = new TestApp();

        Assert.Equal(1, app.Run("eval", "--checkpoint", _dir.File("bad.msgpack")));
        Assert.StartsWith($"error: Cannot read '{_dir.File("bad.msgpack")}' at byte offset ", app.Error);
        Assert.Single(app.Error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void MissingCheckpointIsOneLine()
    {
        var app = new TestApp();

        Assert.Equal(1, app.Run("predict", "--checkpoint", _dir.File("none.msgpack"), "digit.png"));
        Assert.Equal($"error: Checkpoint {_dir.File("none.msgpack")} does not exist.\n", app.Error);
    }

    [Fact]
    public void CheckpointOfAnotherModelIsRejectedByPath()
    {
        var checkpoint = TrainTinyOnAFolder();
        var changed = new ModelRegistry([TestApp.Registry.Models[0] with { Create = classes => new TinyClassifier(classes + 1) }]);
        var app = new TestApp();

        Assert.Equal(1, app.Run(changed, "eval", "--checkpoint", checkpoint));
        Assert.Equal(
            $"error: {checkpoint} does not fit model 'tiny' (a checkpoint of another model or settings?): Cannot restore the state dict " +
            "into the target at 'params/Dense_1/bias': expected a float32 leaf of shape (5,), found a float32 leaf of shape (4,).\n",
            app.Error);
    }

    [Fact]
    public void ResumingWithOtherSettingsSaysWhichDiffer()
    {
        var checkpoint = TrainTinyOnAFolder();
        var app = new TestApp();

        var code = app.Run("train", "--model", "tiny", "--dataset", $"imagefolder:{_dir.File("folder")}", "--epochs", "1",
            "--batch-size", "8", "--seed", "3", "--out", Path.GetDirectoryName(checkpoint)!, "--resume");

        Assert.Equal(2, code);
        Assert.Equal($"error: Cannot resume {checkpoint}: it was made with other settings (--seed 0 there, 3 here).\n", app.Error);
    }

    [Fact]
    public void ExistingRunIsNotOverwrittenWithoutResume()
    {
        var checkpoint = TrainTinyOnAFolder();
        var app = new TestApp();

        var code = app.Run("train", "--model", "tiny", "--dataset", $"imagefolder:{_dir.File("folder")}", "--epochs", "1",
            "--batch-size", "8", "--out", Path.GetDirectoryName(checkpoint)!);

        Assert.Equal(2, code);
        Assert.Equal($"error: {Path.GetDirectoryName(checkpoint)} already holds a checkpoint: pass --resume to continue it, or choose another --out.\n", app.Error);
    }

    [Fact]
    public void EvalAndPredictUseTheCheckpoint()
    {
        var checkpoint = TrainTinyOnAFolder();
        var image = Path.Combine(_dir.File("folder"), "top-left", "000.png");
        var app = new TestApp();

        Assert.Equal(0, app.Run("eval", "--checkpoint", checkpoint));
        Assert.Equal(0, app.Run("predict", "--checkpoint", checkpoint, image));

        Assert.Contains("confusion matrix", app.Out);
        Assert.Contains("tiny after 1 epochs: accuracy", app.Out);
        Assert.Contains(image, app.Out);
        Assert.Equal("", app.Error);
    }

    [Fact]
    public void CudaWhenUnavailableIsOneLine()
    {
        var app = new TestApp();

        Assert.Equal(1, app.Run("eval", "--checkpoint", _dir.File("x.msgpack"), "--device", "cuda"));
        Assert.StartsWith("error: Device 'cuda' was requested, but CUDA is not available", app.Error);
        Assert.Single(app.Error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void UnknownDeviceIsAParseError()
    {
        var app = new TestApp();

        Assert.NotEqual(0, app.Run("eval", "--checkpoint", "x", "--device", "tpu"));
        Assert.Contains("Unknown device 'tpu': use cpu, cuda or cuda:N.", app.Error);
    }

    [Fact]
    public void VerbosePrintsTheStackTrace()
    {
        var app = new TestApp();

        Assert.Equal(1, app.Run("eval", "--checkpoint", _dir.File("none.msgpack"), "--verbose"));
        Assert.Contains("UserException", app.Error);
        Assert.Contains("ModelLoader", app.Error);
    }

    private string TrainTinyOnAFolder()
    {
        SyntheticImages.WriteFolder(_dir.File("folder"), 10);
        var app = new TestApp();
        var code = app.Run("train", "--model", "tiny", "--dataset", $"imagefolder:{_dir.File("folder")}", "--epochs", "1",
            "--batch-size", "8", "--out", _dir.File("run"));
        Assert.True(code == 0, app.Error);
        return _dir.File($"run/{TrainingCheckpoint.FileName}");
    }
}
