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
    /// <summary>
    /// Reads a pretrained file into this model's parameter names (e.g. a Hugging Face ViT); null reads a Flax
    /// msgpack or safetensors file whose names are already ours.
    /// </summary>
    public Func<string, Module, ParamTree>? ReadPretrained { get; init; }

    /// <summary>The default peak learning rate (Adam's 3e-3 takes LeNet past 99 % on MNIST in 4 epochs of batch 64).</summary>
    public double LearningRate { get; init; } = 3e-3;

    /// <summary>The input shape of one batch of <paramref name="batch"/> images, NHWC.</summary>
    public long[] InputShape(long batch) => [batch, Height, Width, Channels];
}
