using Linen.Cli.Reporting;
using Linen.Cli.Training;
using Linen.Functional;
using Xunit;
using static TorchSharp.torch;

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
    public void LeNetHasARowPerCallWithOutputShapesMultiplyAddsAndParameterCounts()
    {
        var app = new TestApp();

        var code = app.Run(ModelRegistry.Default, "summary", "--model", "lenet");

        Assert.Equal(0, code);
        var rows = app.Out.Split('\n').Where(l => l.StartsWith("│ ")).Select(l => l.Split('│').Select(c => c.Trim()).ToArray()).ToList();
        // path, module, inputs, outputs, macs, then the params cell's first line (its count is on a later line).
        Assert.Equal(
        [
            ["path", "module", "inputs", "outputs", "macs", "params"],
            ["", "LeNet", "float32[1,28,28,1]", "float32[1,10]", "", ""],
            // VALID 5×5 convolutions: 28 → 24, pool 2 → 12 → 8, pool → 4·4·16 = 256 features.
            ["Conv_0", "Conv", "float32[1,28,28,1]", "float32[1,24,24,6]", "86,400", "bias: float32[6]"],
            ["Conv_1", "Conv", "float32[1,12,12,6]", "float32[1,8,8,16]", "153,600", "bias: float32[16]"],
            ["Dense_0", "Dense", "float32[1,256]", "float32[1,120]", "30,720", "bias: float32[120]"],
            ["Dense_1", "Dense", "float32[1,120]", "float32[1,84]", "10,080", "bias: float32[84]"],
            ["Dense_2", "Dense", "float32[1,84]", "float32[1,10]", "840", "bias: float32[10]"],
        ], rows.Where(r => r[1].Length > 0 || r[2].Length > 0).Select(r => r[1..^1]));
        // Parameters: 5·5·1·6 + 6 = 156, 5·5·6·16 + 16 = 2,416, 256·120 + 120 = 30,840, 120·84 + 84 = 10,164,
        // 84·10 + 10 = 850; 44,426 in all, 4 bytes each. Multiply-adds: output positions × fan-in × features,
        // e.g. Conv_0 24·24 × 5·5·1 × 6 = 86,400.
        Assert.Equal(["156 (624 B)", "2,416 (9.7 KB)", "30,840 (123.4 KB)", "10,164 (40.7 KB)", "850 (3.4 KB)", "44,426 (177.7 KB)"],
            rows.Select(r => r[^2]).Where(c => c.Contains(" (")));
        Assert.Contains("Total Parameters: 44,426 (177.7 KB)", app.Out);
    }

    private sealed record TwiceShared : Module
    {
        public override Tensor Call(Scope scope, Tensor input)
        {
            var shared = new TestDense(4);
            return scope.Call(shared, scope.Call(shared, input).relu());
        }
    }

    [Fact]
    public void SharedModuleHasARowPerCallAndItsVariablesCountedOnce()
    {
        using var scope = NewDisposeScope();

        var summary = ModelSummary.Of(new TwiceShared(), [2, 4]);

        Assert.Equal(["", "Dense_0", "Dense_0"], summary.Rows.Select(r => r.Path));
        Assert.Equal(["float32[2,4]", "float32[2,4]", "float32[2,4]"], summary.Rows.Select(r => r.Outputs));
        Assert.Equal([0, 2, 0], summary.Rows.Select(r => r.Variables["params"].Count));
        // TestDense is not Linen.Layers.Dense: its multiply-adds are not counted.
        Assert.All(summary.Rows, r => Assert.Null(r.MultiplyAdds));
        Assert.Equal((4 * 4 + 4, (4 * 4 + 4) * 4), summary.Total("params"));
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
