using Xunit;

namespace Linen.Tests;

public class ReadmeQuickStartTests
{
    [Fact]
    public void ReadmeShowsTheTestedExample()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Linen.sln"))) root = root.Parent!;
        var readme = File.ReadAllText(Path.Combine(root.FullName, "README.md"));
        var start = readme.IndexOf("```csharp\n", StringComparison.Ordinal) + "```csharp\n".Length;
        var example = readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];
        Assert.Contains(example, File.ReadAllText(Path.Combine(root.FullName, "Tests", "ReadmeQuickStart.cs")));
    }

    [Fact]
    public void ExampleRunsAndGradientsMirrorTheParams()
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var grads = QuickStart.Run();
        Assert.Equal(["Dense_0/bias", "Dense_0/kernel", "Dense_1/bias", "Dense_1/kernel"], grads.Paths);
        Assert.Equal(new long[] { 784, 32 }, grads["Dense_0/kernel"].shape);
        Assert.True(grads["Dense_1/bias"].abs().sum().item<float>() > 0);
    }
}
