using Linen.Prng;
using Xunit;

namespace Linen.Tests.Prng;

/// <summary>Bad arguments throw, and the exception names the parameter and the value.</summary>
public sealed class BadInputTests
{
    private static readonly PrngKey Key = PrngKey.FromSeed(0);

    public static TheoryData<string, string, string> Cases() => new()
    {
        { "split0", "num", "num = 0" },
        { "splitNeg", "num", "num = -3" },
        { "bitsNeg", "count", "count = -1" },
        { "uniformNeg", "count", "count = -5" },
        { "uniformEmptyRange", "minval", "minval = 2 and maxval = 2" },
        { "uniformReversed", "minval", "minval = 3 and maxval = 1" },
        { "uniformNaN", "minval", "minval = NaN" },
        { "normalNeg", "count", "count = -2" },
        { "bernoulliHigh", "p", "p = 1.5" },
        { "bernoulliNeg", "p", "p = -0.1" },
        { "bernoulliNaN", "p", "p = NaN" },
        { "randintEmpty", "minval", "minval = 5 and maxval = 5" },
        { "truncatedReversed", "lower", "lower = 2 and upper = -2" },
        { "shapeNeg", "shape", "negative dimension -4 at axis 1" },
        { "permutationNeg", "n", "n = -1" },
        { "choiceTooMany", "count", "count = 11 from n = 10" },
        { "choiceEmptyPopulation", "n", "n = 0" },
        { "categoricalZero", "numClasses", "numClasses = 0" },
        { "categoricalNotDividing", "numClasses", "numClasses = 4" },
        { "varianceScalingAxis", "inAxis", "inAxis = -3 is outside shape [4, 5]" },
        { "varianceScalingScale", "scale", "scale = -1" },
        { "orthogonalRank1", "shape", "rank >= 2" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ThrowsNamingTheParameter(string caseName, string param, string messagePart)
    {
        Action act = caseName switch
        {
            "split0" => () => Key.Split(0),
            "splitNeg" => () => Key.Split(-3),
            "bitsNeg" => () => Sample.Bits(Key, -1),
            "uniformNeg" => () => Sample.Uniform(Key, -5),
            "uniformEmptyRange" => () => Sample.Uniform(Key, 3, 2f, 2f),
            "uniformReversed" => () => Sample.Uniform(Key, 3, 3f, 1f),
            "uniformNaN" => () => Sample.Uniform(Key, 3, float.NaN, 1f),
            "normalNeg" => () => Sample.Normal(Key, -2),
            "bernoulliHigh" => () => Sample.Bernoulli(Key, 3, 1.5f),
            "bernoulliNeg" => () => Sample.Bernoulli(Key, 3, -0.1f),
            "bernoulliNaN" => () => Sample.Bernoulli(Key, 3, float.NaN),
            "randintEmpty" => () => Sample.RandInt(Key, 3, 5, 5),
            "truncatedReversed" => () => Sample.TruncatedNormal(Key, 3, 2f, -2f),
            "shapeNeg" => () => Sample.Normal(Key, [3, -4]),
            "permutationNeg" => () => Sample.Permutation(Key, -1),
            "choiceTooMany" => () => Sample.Choice(Key, 11, 10, replace: false),
            "choiceEmptyPopulation" => () => Sample.Choice(Key, 2, 0),
            "categoricalZero" => () => Sample.Categorical(Key, [1f, 2f], 0),
            "categoricalNotDividing" => () => Sample.Categorical(Key, [1f, 2f, 3f], 4),
            "varianceScalingAxis" => () => Initializers.LecunNormal(inAxis: -3)(Key, [4, 5]),
            "varianceScalingScale" => () => Initializers.VarianceScaling(-1, FanMode.FanIn, Distribution.Normal),
            "orthogonalRank1" => () => Initializers.Orthogonal()(Key, [4]),
            _ => throw new InvalidOperationException(caseName),
        };

        var ex = Assert.ThrowsAny<ArgumentException>(act);
        Assert.Equal(param, ex.ParamName);
        Assert.Contains(messagePart, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SplitMessageIsExact()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Key.Split(0));
        Assert.Equal("Split needs num >= 1 keys, but num = 0. (Parameter 'num')\nActual value was 0.", ex.Message.Replace("\r\n", "\n", StringComparison.Ordinal));
    }
}
