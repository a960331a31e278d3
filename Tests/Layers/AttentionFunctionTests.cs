using Linen.Functional;
using Linen.Layers;
using Linen.Prng;
using Xunit;
using static Linen.Tests.Layers.TestValues;
using TorchSharp;
using static TorchSharp.torch;

namespace Linen.Tests.Layers;

/// <summary>The attention functions and mask helpers on closed-form cases (flax/linen/attention.py semantics).</summary>
public class AttentionFunctionTests
{
    [Fact]
    public void AttentionMaskPairsQueryAndKeyPositions()
    {
        var mask = Masks.MakeAttentionMask(tensor(new[] { 1f, 1f, 0f }, [1, 3]), tensor(new[] { 1f, 0f }, [1, 2]));
        Assert.Equal([1L, 1, 3, 2], mask.shape);
        Assert.Equal([1f, 0f, 1f, 0f, 0f, 0f], Values(mask));
        Assert.Equal([1L, 1, 1, 1, 3, 2], Masks.MakeAttentionMask(ones(1, 3), ones(1, 2), extraBatchDims: 2).shape);
    }

    [Fact]
    public void CausalMaskAllowsTheCurrentAndEarlierPositions()
    {
        var mask = Masks.MakeCausalMask(zeros(2, 3), dtype: ScalarType.Bool);
        Assert.Equal([2L, 1, 3, 3], mask.shape);
        Assert.Equal(ScalarType.Bool, mask.dtype);
        Assert.Equal([1f, 0f, 0f, 1f, 1f, 0f, 1f, 1f, 1f], Values(mask[1, 0]));
    }

    [Fact]
    public void CombineIsALogicalAndThatSkipsNulls()
    {
        Assert.Null(Masks.Combine(null, null));
        var a = tensor(new[] { 1f, 1f, 0f, 0f }, [1, 4]);
        var b = tensor(new[] { 1f, 0f, 1f, 0f }, [1, 4]);
        Assert.Equal([1f, 0f, 0f, 0f], Values(Masks.Combine(a, null, b)!));
        // A single mask is only cast, as in Flax: nothing turns 0.5 into 1.
        Assert.Equal([0.5f], Values(Masks.Combine(tensor(new[] { 0.5f }))!));
        var error = Assert.Throws<InputShapeException>(() => Masks.Combine(a, ones(4)));
        Assert.Equal("Masks to combine must have one rank; got shapes (1, 4), (4,).", error.Message);
    }

    [Fact]
    public void WeightsAreTheSoftmaxOfScaledLogitsPlusBias()
    {
        // q·k = 4 with depth 4 gives logit 2 for key 0 and 0 for key 1: weights softmax([2, 0]).
        using var one = 1f.ToScalar();
        var query = full(new long[] { 1, 1, 4 }, one);
        var key = tensor(new[] { 1f, 1f, 1f, 1f, 0f, 0f, 0f, 0f }, [2, 1, 4]);
        var expected = 1 / (1 + Math.Exp(-2));
        AssertClose([(float)expected, (float)(1 - expected)], AttentionFunctions.DotProductAttentionWeights(query, key), 1e-6);
        var bias = tensor(new[] { 0f, 2f }, [1, 1, 2]);
        AssertClose([0.5f, 0.5f], AttentionFunctions.DotProductAttentionWeights(query, key, bias: bias), 1e-6);
    }

    [Fact]
    public void AFullyMaskedRowAttendsUniformly()
    {
        // Masked logits become the lowest finite float, not −∞, so a row with no allowed key averages all keys.
        var value = tensor(new[] { 1f, 3f, 8f }, [3, 1, 1]);
        var output = AttentionFunctions.DotProductAttention(Normal(0, 1, 1, 2), Normal(1, 3, 1, 2), value, mask: zeros(1, 1, 3));
        AssertClose([4f], output, 1e-6);
    }

    [Fact]
    public void BroadcastDropoutSharesOneMaskAcrossBatchAndHeads()
    {
        var query = Normal(0, 3, 5, 2, 4);
        var key = Normal(1, 3, 6, 2, 4);
        var clean = AttentionFunctions.DotProductAttentionWeights(query, key);
        var dropped = AttentionFunctions.DotProductAttentionWeights(query, key, dropoutRng: PrngKey.FromSeed(9), dropoutRate: 0.4);
        var zeroPattern = dropped.Eq(0).to_type(ScalarType.Float32);
        Assert.Equal(Values(zeroPattern.amax([0L, 1L])), Values(zeroPattern.amin([0L, 1L])));
        AssertClose(Values((clean * dropped.ne(Scalars.Zero)).Div(0.6f)), dropped, 1e-6);
        var unshared = AttentionFunctions.DotProductAttentionWeights(query, key, broadcastDropout: false, dropoutRng: PrngKey.FromSeed(9), dropoutRate: 0.4);
        var unsharedPattern = unshared.Eq(0).to_type(ScalarType.Float32);
        Assert.NotEqual(Values(unsharedPattern.amax([0L, 1L])), Values(unsharedPattern.amin([0L, 1L])));
        Assert.Equal(Values(clean), Values(AttentionFunctions.DotProductAttentionWeights(query, key, dropoutRate: 0.4, deterministic: true)));
    }

    [Fact]
    public void ActiveDropoutWithoutAKeyIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => AttentionFunctions.DotProductAttentionWeights(ones(2, 1, 3), ones(2, 1, 3), dropoutRate: 0.1));
        Assert.Equal("Attention dropout is active (rate > 0, not deterministic) but no dropout key was given. (Parameter 'dropoutRng')", error.Message);
    }

    [Fact]
    public void ShapesThatDoNotFitAreRejectedBeforeTheEngineRuns()
    {
        Assert.Equal("Attention needs the same number of heads (axis -2) in query, key and value; got query (2, 2, 3), key (2, 1, 3), value (2, 1, 3).",
            Assert.Throws<InputShapeException>(() => AttentionFunctions.DotProductAttention(ones(2, 2, 3), ones(2, 1, 3), ones(2, 1, 3))).Message);
        Assert.Equal("Attention needs query, key and value of one rank ≥ 3, [batch…, length, heads, depth]; got query (2, 3), key (2, 3).",
            Assert.Throws<InputShapeException>(() => AttentionFunctions.DotProductAttentionWeights(ones(2, 3), ones(2, 3))).Message);
        Assert.Equal("Attention needs key and value of the same length (axis -3); got query (1, 2, 1, 3), key (1, 4, 1, 3), value (1, 5, 1, 3).",
            Assert.Throws<InputShapeException>(() => AttentionFunctions.DotProductAttention(ones(1, 2, 1, 3), ones(1, 4, 1, 3), ones(1, 5, 1, 3))).Message);
        Assert.Equal("Attention needs the same batch dimensions in query, key and value; got query (2, 2, 1, 3), key (3, 2, 1, 3).",
            Assert.Throws<InputShapeException>(() => AttentionFunctions.DotProductAttentionWeights(ones(2, 2, 1, 3), ones(3, 2, 1, 3))).Message);
    }
}
