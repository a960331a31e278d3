using Linen.Functional;
using Linen.Prng;
using Xunit;

namespace Linen.Tests.Functional;

/// <summary>Golden values from spec/linen.md §A.5 (Flax RNG guide notebook, Dropout docstring, issue #3280).</summary>
public class KeyDerivationTests
{
    private static readonly PrngKey Key0 = PrngKey.FromSeed(0);

    [Theory]
    [InlineData(new string[0], 1, 3213575472u, 1428664606u, 3351135085u)]   // root module, first call
    [InlineData(new string[0], 2, 3303678395u, 3456700291u, 3873160899u)]
    [InlineData(new[] { "RNGSubModule_0" }, 1, 3780147575u, 3858825717u, 2323087578u)]
    [InlineData(new[] { "Dense_0" }, 1, 2998342421u, 3043437727u, 3662875008u)]           // kernel of Dense_0
    [InlineData(new[] { "Dense_0" }, 2, 2299943050u, 2912151818u, 3648475384u)]           // its bias
    public void DerivesFlaxKeys(string[] path, int count, uint hash, uint k0, uint k1)
    {
        Assert.Equal(hash, KeyDerivation.Hash(path, count));
        Assert.Equal(new PrngKey(k0, k1), KeyDerivation.Derive(Key0, path, count));
    }

    [Fact]
    public void DerivesNestedRngGuideKey() =>
        Assert.Equal(new PrngKey(3650462303u, 2124609379u),
            KeyDerivation.Derive(Key0, ["RNGSubModule_0", "RNGSubSubModule_0"], 2));

    [Fact]
    public void SeparatorIsOptIn()
    {
        Assert.Equal(4288924255u, KeyDerivation.Hash(["Dense_0"], 1, fixSeparator: true));
        Assert.Equal(new PrngKey(243693010u, 2466960572u), KeyDerivation.Derive(Key0, ["Dense_0"], 1, fixSeparator: true));
    }

    [Fact]
    public void WithoutSeparatorPathSplitsCollide()
    {
        // The RNG guide's "sharp edge": produce_hash(('A','B','C',1)) = 947574064 however "ABC" is split.
        Assert.Equal(947574064u, KeyDerivation.Hash(["A", "B", "C"], 1));
        Assert.Equal(947574064u, KeyDerivation.Hash(["AB", "C"], 1));
        Assert.Equal(947574064u, KeyDerivation.Hash(["ABC"], 1));
        Assert.NotEqual(KeyDerivation.Hash(["AB", "C"], 1, true), KeyDerivation.Hash(["A", "BC"], 1, true));
    }

    [Fact]
    public void CountsAreMinimalBigEndian()
    {
        // SHA-1("A") and SHA-1("A" 01 00), first four bytes, computed with Python's hashlib.
        Assert.Equal(1842171106u, KeyDerivation.Hash(["A"], 0));
        Assert.Equal(2136875247u, KeyDerivation.Hash(["A"], 256));
    }
}
