using Linen.Cli.Data;
using Linen.Functional;

namespace Linen.Cli.Training;

/// <summary>A model the program can train: how to build it and what input it takes.</summary>
/// <param name="Name">The name on the command line, e.g. <c>lenet</c>.</param>
/// <param name="Description">One line for the help text.</param>
/// <param name="Create">Builds the model for a number of classes.</param>
/// <param name="Height">Input height.</param>
/// <param name="Width">Input width.</param>
/// <param name="Channels">Input channels.</param>
/// <param name="Normalization">How pixels are mapped to the model's input values.</param>
internal sealed record ModelSpec(
    string Name, string Description, Func<int, Module> Create, int Height, int Width, int Channels, Normalization Normalization)
{
    /// <summary>The input shape of one batch of <paramref name="batch"/> images, NHWC.</summary>
    public long[] InputShape(long batch) => [batch, Height, Width, Channels];
}
