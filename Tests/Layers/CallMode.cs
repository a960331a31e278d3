using Linen.Functional;

namespace Linen.Tests.Layers;

/// <summary>
/// How a contract case calls its layer: the keys of the streams besides <c>params</c> (e.g. <c>dropout</c>), training
/// mode, and the collections Apply may update (BatchNorm's <c>batch_stats</c> in training).
/// </summary>
public sealed record CallMode(Rngs? Rngs = null, bool Train = false, CollectionFilter? Mutable = null)
{
    /// <summary>Evaluation: no other streams, nothing mutable.</summary>
    public static CallMode Inference { get; } = new();

    /// <summary>For example <c>train, rngs dropout=PrngKey[0, 3], mutable batch_stats</c>.</summary>
    public override string ToString()
    {
        var streams = Rngs is null ? "" : ", rngs " + string.Join(" ", Rngs.Streams.Select(s => $"{s.Key}={s.Value}"));
        var mutable = Mutable is null || Mutable.IsNone ? "" : $", mutable {Mutable}";
        return (Train ? "train" : "eval") + streams + mutable;
    }
}
