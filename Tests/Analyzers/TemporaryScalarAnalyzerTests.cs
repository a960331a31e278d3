using System.Collections.Immutable;
using Linen.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace Linen.Tests.Analyzers;

/// <summary>LINEN001 on small programs compiled against the real TorchSharp assembly.</summary>
public class TemporaryScalarAnalyzerTests
{
    private const string Prelude = """
        using TorchSharp;
        using static TorchSharp.torch;
        static class Snippet
        {
            static readonly Scalar Cached = 2.0.ToScalar();
            static Tensor Run(Tensor t, Tensor u, double v)
            {
        """;

    [Theory]
    [InlineData("return t * 0.5;")]
    [InlineData("return 2 * t;")]
    [InlineData("return t + u;")]
    [InlineData("return t.add(u);")]
    [InlineData("return t.square();")]
    [InlineData("return t.mul(v);")]
    [InlineData("return t.mul(v.ToScalar());")]
    [InlineData("return t.clamp(0, 1);")]
    [InlineData("return t.lt(v);")]
    [InlineData("using var s = v.ToScalar(); return t.add(s);")]
    [InlineData("return nn.functional.leaky_relu(t, 0.2);")]
    [InlineData("var w = t; w += u; return w;")]
    public void FlagsScalarTemporaries(string body) =>
        Assert.Equal(["LINEN001"], Analyze(body).Select(d => d.Id).Distinct());

    [Theory]
    [InlineData("using var s = v.ToScalar(); return t.mul(s);")]
    [InlineData("using var s = v.ToScalar(); return t.add(s, Cached);")]
    [InlineData("return t.add(u, Cached);")]
    [InlineData("return t.pow(Cached);")]
    [InlineData("return t - u;")]
    [InlineData("return t * u / u;")]
    [InlineData("double? m = v; using var s = m?.ToScalar(); return t.clamp(s, null);")]
    public void AcceptsHeldScalars(string body) => Assert.Empty(Analyze(body));

    [Fact]
    public void MessageSaysWhatMadeTheTemporaryAndHowToHoldIt()
    {
        var message = Assert.Single(Analyze("return t.square();")).GetMessage();
        Assert.StartsWith("TorchSharp's square() makes a TorchSharp Scalar that nothing holds during the native call", message);
        Assert.Contains("using var s = value.ToScalar();", message);
    }

    private static ImmutableArray<Diagnostic> Analyze(string body)
    {
        var source = Prelude + body + "\n    }\n}\n";
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(typeof(TorchSharp.torch).Assembly.Location)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(
            "Snippet", [CSharpSyntaxTree.ParseText(source)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        return compilation.WithAnalyzers([new TemporaryScalarAnalyzer()]).GetAnalyzerDiagnosticsAsync().Result;
    }
}
