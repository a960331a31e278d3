using Xunit;

namespace Linen.Tests.Testing;

public class ReadmeExampleTests
{
    [Fact]
    public void ReadmeShowsTheTestedExample()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Linen.sln"))) root = root.Parent!;
        var readme = File.ReadAllText(Path.Combine(root.FullName, "Testing", "README.md"));
        var start = readme.IndexOf("```csharp\n", StringComparison.Ordinal) + "```csharp\n".Length;
        var example = readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];
        var source = File.ReadAllText(Path.Combine(root.FullName, "Tests", "Testing", "ReadmeExample.cs"));
        Assert.Contains(example, source);
    }
}
