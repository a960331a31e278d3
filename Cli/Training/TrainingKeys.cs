using Linen.Prng;

namespace Linen.Cli.Training;

/// <summary>
/// Every key a training run uses, derived from the seed alone: parameter initialisation, the data order of
/// each epoch (<c>FoldIn(Shuffle, epoch)</c>) and the dropout and augmentation keys of each step
/// (<c>FoldIn(FoldIn(Steps, epoch), step)</c>, split in two). Nothing depends on how many steps ran
/// before in this process, so a resumed run draws exactly what an uninterrupted one draws.
/// </summary>
/// <param name="Init">The key of <c>Init</c> (the <c>params</c> stream).</param>
/// <param name="Shuffle">The root of the per-epoch permutations.</param>
/// <param name="Steps">The root of the per-step keys.</param>
internal sealed record TrainingKeys(PrngKey Init, PrngKey Shuffle, PrngKey Steps)
{
    /// <summary>The keys of seed <paramref name="seed"/>: the three keys of <c>split(key(seed), 3)</c>.</summary>
    public static TrainingKeys FromSeed(long seed)
    {
        var keys = PrngKey.FromSeed(seed).Split(3);
        return new TrainingKeys(keys[0], keys[1], keys[2]);
    }

    /// <summary>The dropout and augmentation keys of step <paramref name="step"/> of epoch <paramref name="epoch"/> (both from 0).</summary>
    public (PrngKey Dropout, PrngKey Augment) Step(int epoch, int step) => Steps.FoldIn((uint)epoch).FoldIn((uint)step).Split();
}
