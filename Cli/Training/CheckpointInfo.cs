using System.Text.Json;
using System.Text.Json.Serialization;

namespace Linen.Cli.Training;

/// <summary>What a <c>linen train</c> checkpoint records besides tensors: the run's settings and history.</summary>
/// <param name="Model">The registry name of the model.</param>
/// <param name="Dataset">The data set as named on the command line.</param>
/// <param name="Classes">The class names, in label order.</param>
/// <param name="Epochs">The run's total number of epochs.</param>
/// <param name="BatchSize">Examples per step.</param>
/// <param name="Seed">The seed.</param>
/// <param name="Optimizer">The optimizer settings.</param>
/// <param name="Augment">Whether training batches were augmented.</param>
/// <param name="History">The epochs finished so far.</param>
internal sealed record CheckpointInfo(
    string Model, string Dataset, IReadOnlyList<string> Classes, int Epochs, int BatchSize, long Seed,
    OptimizerSettings Optimizer, bool Augment, TrainingHistory History)
{
    /// <summary>The JSON settings of checkpoint metadata and metrics files: snake_case names, indented.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>The settings that must agree for a run to continue this one, as <c>(option, value)</c> pairs.</summary>
    public IEnumerable<(string Option, string Value)> Settings() =>
    [
        ("--model", Model), ("--dataset", Dataset), ("--epochs", Epochs.ToString()), ("--batch-size", BatchSize.ToString()),
        ("--seed", Seed.ToString()), ("--optimizer", Optimizer.Name), ("--lr", Optimizer.LearningRate.ToString("R")),
        ("--schedule", Optimizer.Schedule), ("--momentum", Optimizer.Momentum.ToString("R")),
        ("--weight-decay", Optimizer.WeightDecay.ToString("R")), ("--augment", Augment ? "on" : "off"),
    ];
}
