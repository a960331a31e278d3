using Linen.Prng;
using Xunit;

namespace Linen.Tests.Prng;

/// <summary>
/// Values quoted in the text of prng.md (§4.1, §4.3 and the §10 "derived examples" table). The table's values come
/// from our reference model ref.py, not from JAX itself; they pin permutation, choice and categorical, which the
/// vector file does not cover.
/// </summary>
public sealed class DerivedExampleTests
{
    private static PrngKey Key0(bool legacy) => PrngKey.FromSeed(0, legacy ? ThreefryMode.Legacy : ThreefryMode.Partitionable);

    [Theory]
    [InlineData(false, new uint[] { 1797259609, 2579123966, 928981903, 3453687069 })]
    [InlineData(true, new uint[] { 4146024105, 967050713, 2718843009, 1272950319 })]
    public void SplitOfKeyZero(bool legacy, uint[] words)
    {
        var (a, b) = Key0(legacy).Split();
        Assert.Equal(words, new[] { a.K0, a.K1, b.K0, b.K1 });
    }

    [Fact]
    public void ScalarBitsOfKeyZero()
    {
        Assert.Equal(4070199207u, Sample.Bits(Key0(false), 1)[0]);
        Assert.Equal(1797259609u, Sample.Bits(Key0(true), 1)[0]);
        Assert.Equal((ushort)345, Sample.Bits16(Key0(true), 1)[0]);
        Assert.Equal((byte)89, Sample.Bits8(Key0(true), 1)[0]);
    }

    [Theory]
    [InlineData(false, new[] { 0, 1, 8, 5, 6, 4, 3, 2, 7, 9 })]
    [InlineData(true, new[] { 2, 7, 9, 6, 0, 8, 1, 3, 4, 5 })]
    public void PermutationOfTen(bool legacy, int[] want) => Assert.Equal(want, Sample.Permutation(Key0(legacy), 10));

    [Theory]
    [InlineData(false, true, new[] { 9, 0, 2 })]
    [InlineData(true, true, new[] { 8, 1, 7 })]
    [InlineData(false, false, new[] { 0, 1, 8 })]
    [InlineData(true, false, new[] { 2, 7, 9 })]
    public void ChoiceOfThreeFromTen(bool legacy, bool replace, int[] want) =>
        Assert.Equal(want, Sample.Choice(Key0(legacy), 3, 10, replace));

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 0)]
    public void CategoricalOfThree(bool legacy, int want) =>
        Assert.Equal([want], Sample.Categorical(Key0(legacy), [0f, 1f, 2f], 3));

    [Theory]
    [InlineData(false, new[] { 27077, 27312, 8264, 82365 })]
    [InlineData(true, new[] { 91216, 60697, 51861, 99878 })]
    public void RandIntWithWideSpan(bool legacy, int[] want) => Assert.Equal(want, Sample.RandInt(Key0(legacy), 4, 0, 100000));

    [Theory]
    [InlineData(false, new byte[] { 167, 146, 40, 53 })]
    [InlineData(true, new byte[] { 89, 1, 32, 107 })]
    public void Bits8OfFour(bool legacy, byte[] want) => Assert.Equal(want, Sample.Bits8(Key0(legacy), 4));

    [Theory]
    [InlineData(false, new[] { 1.62264216f, 2.02526474f, -0.433594435f })]
    [InlineData(true, new[] { 1.81608629f, -0.48262316f, 0.339889079f })]
    public void NormalOfThree(bool legacy, float[] want)
    {
        var got = Sample.Normal(Key0(legacy), 3);
        for (int i = 0; i < 3; i++)
        {
            Assert.True(VectorTests.UlpDistance(got[i], want[i]) <= 3, $"[{i}] got {got[i]:R}, want {want[i]:R}");
        }
    }
}
