using Linen.Functional;

namespace Linen.Cli.Training;

/// <summary>The optimizer chosen on the command line.</summary>
/// <param name="Name"><c>adam</c>, <c>adamw</c> or <c>sgd</c>.</param>
/// <param name="LearningRate">The peak learning rate.</param>
/// <param name="Schedule"><c>constant</c>, or <c>cosine</c> (optax's cosine decay to 0 over the whole run).</param>
/// <param name="Momentum">SGD's momentum (0 for none).</param>
/// <param name="WeightDecay">AdamW's decoupled weight decay.</param>
internal sealed record OptimizerSettings(string Name, double LearningRate, string Schedule, double Momentum, double WeightDecay)
{
    /// <summary>The optimizer names accepted.</summary>
    public static readonly string[] Names = ["adam", "adamw", "sgd"];

    /// <summary>The schedule names accepted.</summary>
    public static readonly string[] Schedules = ["constant", "cosine"];

    /// <summary>The optax transformation for a run of <paramref name="totalSteps"/> steps.</summary>
    /// <exception cref="UserException">An unknown optimizer or schedule name.</exception>
    public GradientTransformation Build(long totalSteps)
    {
        ScalarOrSchedule lr = Schedule switch
        {
            "constant" => LearningRate,
            "cosine" => Functional.Schedules.CosineDecay(LearningRate, totalSteps),
            _ => throw new UserException($"Unknown schedule '{Schedule}': use {string.Join(", ", Schedules)}.", UserException.Usage),
        };
        return Name switch
        {
            "adam" => Optax.Adam(lr),
            "adamw" => Optax.AdamW(lr, weightDecay: WeightDecay),
            "sgd" => Optax.Sgd(lr, Momentum == 0 ? null : Momentum),
            _ => throw new UserException($"Unknown optimizer '{Name}': use {string.Join(", ", Names)}.", UserException.Usage),
        };
    }
}
