using Xunit;

namespace Linen.Tests.Cli;

public sealed class SummaryCommandTests
{
    [Fact]
    public void TabulatesModulesParametersAndTotals()
    {
        var app = new TestApp();

        var code = app.Run("summary", "--model", "tiny");

        Assert.Equal(0, code);
        Assert.Equal("", app.Error);
        var lines = app.Out.Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Contains("TinyClassifier Summary", lines[0]);
        Assert.Contains(lines, l => l.Contains("│ Dense_0 │ Dense") && l.Contains("bias: float32[32]"));
        Assert.Contains(lines, l => l.Contains("kernel: float32[784,32]"));
        // Dense_0: 784·32 + 32 = 25,120 values; Dense_1: 32·10 + 10 = 330; float32 is 4 bytes each.
        Assert.Contains(lines, l => l.Contains("25,120 (100.5 KB)"));
        Assert.Contains(lines, l => l.Contains("330 (1.3 KB)"));
        Assert.Contains(lines, l => l.Contains("float32[1,28,28,1]") && l.Contains("float32[1,10]"));
        Assert.Contains(lines, l => l.Contains("Total") && l.Contains("25,450 (101.8 KB)"));
        Assert.Contains("Total Parameters: 25,450 (101.8 KB)", app.Out);
    }

    [Fact]
    public void UnknownModelIsOneLineWithTheKnownNamesAndExitCodeTwo()
    {
        var app = new TestApp();

        var code = app.Run("summary", "--model", "resnet1000");

        Assert.Equal(2, code);
        Assert.Equal("error: Unknown model 'resnet1000'. Known models: tiny.\n", app.Error);
        Assert.Equal("", app.Out);
    }
}
