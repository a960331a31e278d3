using Linen.Functional;
using Linen.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Linen.Bench.Baseline;

/// <summary>
/// The Vision Transformer written directly in TorchSharp on NCHW images: a strided patch convolution, CLS token and
/// position embeddings, pre-norm blocks of <c>layer_norm</c>, multi-head attention (linear q/k/v, <c>matmul</c>,
/// <c>softmax</c>, <c>matmul</c>, linear out) and a tanh-GELU MLP, dropout where the Flax model has it, a final
/// <c>layer_norm</c> and the head on the CLS token.
/// </summary>
internal sealed class TorchVit
{
    private readonly VisionTransformer _config;
    private readonly (Tensor Weight, Tensor Bias) _embedding, _norm, _head;
    private readonly Tensor _cls, _positions;
    private readonly Block[] _blocks;

    private sealed record Block(
        (Tensor Weight, Tensor Bias) Norm0, (Tensor Weight, Tensor Bias) Query, (Tensor Weight, Tensor Bias) Key,
        (Tensor Weight, Tensor Bias) Value, (Tensor Weight, Tensor Bias) Out, (Tensor Weight, Tensor Bias) Norm2,
        (Tensor Weight, Tensor Bias) Mlp0, (Tensor Weight, Tensor Bias) Mlp1);

    public TorchVit(TorchParams p, VisionTransformer config)
    {
        _config = config;
        _embedding = (p.ConvWeight("embedding/kernel"), p.Plain("embedding/bias"));
        _cls = p.Plain("cls");
        _positions = p.Plain("Transformer/posembed_input/pos_embedding");
        _blocks = [.. Enumerable.Range(0, config.NumLayers).Select(i => MakeBlock(p, $"Transformer/encoderblock_{i}"))];
        _norm = (p.Plain("Transformer/encoder_norm/scale"), p.Plain("Transformer/encoder_norm/bias"));
        _head = (p.LinearWeight("head/kernel"), p.Plain("head/bias"));
    }

    private static Block MakeBlock(TorchParams p, string path)
    {
        (Tensor, Tensor) Norm(string name) => (p.Plain($"{path}/{name}/scale"), p.Plain($"{path}/{name}/bias"));
        (Tensor, Tensor) Projection(string name, int inDims) =>
            (p.LinearWeight($"{path}/MultiHeadDotProductAttention_1/{name}/kernel", inDims), p.Plain($"{path}/MultiHeadDotProductAttention_1/{name}/bias", -1));
        (Tensor, Tensor) Dense(string name) => (p.LinearWeight($"{path}/MlpBlock_3/{name}/kernel"), p.Plain($"{path}/MlpBlock_3/{name}/bias"));
        return new Block(Norm("LayerNorm_0"), Projection("query", 1), Projection("key", 1), Projection("value", 1), Projection("out", 2),
            Norm("LayerNorm_2"), Dense("Dense_0"), Dense("Dense_1"));
    }

    public Tensor Forward(Tensor images, bool train)
    {
        var (batch, width, rate) = (images.shape[0], (long)_config.HiddenSize, _config.DropoutRate);
        long patch = _config.PatchSize;
        var x = F.conv2d(images, _embedding.Weight, _embedding.Bias, strides: [patch, patch]).flatten(2).transpose(1, 2);
        x = cat([_cls.expand(batch, 1, width), x], 1).Add(_positions);
        x = F.dropout(x, rate, train);
        foreach (var block in _blocks)
        {
            // What a careful TorchSharp user writes, and what Linen does per submodule call: free the block's
            // temporaries when it ends (autograd keeps what backward needs), not every block's at the end of the step.
            using var temporaries = NewDisposeScope();
            var attended = Attention(LayerNorm(x, block.Norm0), block, batch);
            x = x.Add(F.dropout(attended, rate, train));
            var y = F.linear(LayerNorm(x, block.Norm2), block.Mlp0.Weight, block.Mlp0.Bias);
            y = F.dropout(F.gelu(y, GELU.Approximate.tanh), rate, train);
            x = x.Add(F.dropout(F.linear(y, block.Mlp1.Weight, block.Mlp1.Bias), rate, train)).MoveToOuterDisposeScope();
        }
        x = LayerNorm(x, _norm);
        return F.linear(x.select(1, 0), _head.Weight, _head.Bias);
    }

    private Tensor LayerNorm(Tensor x, (Tensor Weight, Tensor Bias) affine) =>
        F.layer_norm(x, [_config.HiddenSize], affine.Weight, affine.Bias, _config.LayerNormEpsilon);

    private Tensor Attention(Tensor x, Block block, long batch)
    {
        long heads = _config.NumHeads, depth = _config.HiddenSize / _config.NumHeads;
        Tensor Heads((Tensor Weight, Tensor Bias) projection) =>
            F.linear(x, projection.Weight, projection.Bias).view(batch, -1, heads, depth).transpose(1, 2);
        var (query, key, value) = (Heads(block.Query), Heads(block.Key), Heads(block.Value));
        var weights = query.Div(Math.Sqrt(depth)).matmul(key.transpose(-2, -1)).softmax(-1);
        var attended = weights.matmul(value).transpose(1, 2).reshape(batch, -1, _config.HiddenSize);
        return F.linear(attended, block.Out.Weight, block.Out.Bias);
    }
}
