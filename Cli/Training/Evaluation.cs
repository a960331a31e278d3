using Linen.Cli.Data;
using Linen.Functional;
using static TorchSharp.torch;

namespace Linen.Cli.Training;

/// <summary>A model's accuracy on a data set and its confusion matrix (rows: true class, columns: predicted class).</summary>
/// <param name="Confusion">The counts, <c>[true, predicted]</c>.</param>
internal sealed record Evaluation(long[,] Confusion)
{
    /// <summary>Examples per evaluation batch; evaluation keeps no activations for gradients, so batches can be large.</summary>
    public const int BatchSize = 500;

    /// <summary>How many examples.</summary>
    public long Total => Confusion.Cast<long>().Sum();

    /// <summary>The fraction classified right.</summary>
    public double Accuracy => Total == 0 ? 0 : (double)Enumerable.Range(0, Confusion.GetLength(0)).Sum(i => Confusion[i, i]) / Total;

    /// <summary>Runs <paramref name="model"/> in inference mode over all of <paramref name="set"/>.</summary>
    public static Evaluation Run(Module model, Variables variables, ImageSet set, Normalization normalization, Device device)
    {
        var classes = set.NumClasses;
        var confusion = new long[classes, classes];
        var plan = EpochPlan.Evaluation(set.Count, BatchSize);
        using var noGrad = no_grad();
        for (var step = 0; step < plan.Steps; step++)
        {
            using var scope = NewDisposeScope();
            var indices = plan.BatchIndices(step);
            var batch = Batch.Create(set, indices, normalization, device);
            var logits = model.Apply(variables, batch.Images);
            if (logits.shape.Length != 2 || logits.shape[1] != classes)
                throw new UserException($"The model outputs shape {Shapes.Format(logits.shape)}, but the data set has {classes} classes.");
            var predicted = logits.argmax(-1).cpu().data<long>().ToArray();
            for (var i = 0; i < predicted.Length; i++) confusion[set.Labels[indices[i]], predicted[i]]++;
        }
        return new Evaluation(confusion);
    }
}
