using Linen.Cli.Data;
using static TorchSharp.torch;

namespace Linen.Cli.Training;

/// <summary>The settings of a training run.</summary>
/// <param name="Model">The model.</param>
/// <param name="Dataset">The data set as named on the command line.</param>
/// <param name="Epochs">The total number of epochs.</param>
/// <param name="BatchSize">Examples per step.</param>
/// <param name="Optimizer">The optimizer.</param>
/// <param name="Seed">The seed every key derives from.</param>
/// <param name="Augmentation">The augmentation of training batches, or null.</param>
/// <param name="Device">Where tensors live.</param>
internal sealed record TrainingConfig(
    ModelSpec Model, string Dataset, int Epochs, int BatchSize, OptimizerSettings Optimizer, long Seed, Augmentation? Augmentation, Device Device);
