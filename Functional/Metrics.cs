using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>Evaluation metrics as Flax examples compute them.</summary>
public static class Metrics
{
    /// <summary>The fraction of rows whose largest logit is the label: <c>mean(argmax(logits, −1) == labels)</c>.</summary>
    /// <param name="logits">Scores (…, classes).</param>
    /// <param name="labels">Integer class indices (…) in [0, classes).</param>
    /// <returns>A float32 scalar in [0, 1].</returns>
    /// <exception cref="ArgumentException">A label is out of range (named with its position), or dtypes or shapes are wrong.</exception>
    public static Tensor Accuracy(Tensor logits, Tensor labels)
    {
        Labels.RequireClassIndices(nameof(Accuracy), logits, labels);
        return logits.argmax(-1).eq(labels).to_type(ScalarType.Float32).mean();
    }
}
