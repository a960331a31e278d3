using Linen.Functional;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Layers;

/// <summary>
/// The computation of <see cref="MultiHeadDotProductAttention"/>, shared with <see cref="SelfAttention"/> and
/// <see cref="MultiHeadAttention"/> (Flax subclasses): it runs in the scope of whichever module owns it, so all keep
/// Flax's parameter layout.
/// </summary>
internal static class AttentionCore
{
    public static Tensor Run(MultiHeadDotProductAttention config, Module owner, Scope scope,
        Tensor inputsQ, Tensor? inputsK, Tensor? inputsV, Tensor? mask, PrngKey? dropoutRng)
    {
        if (inputsK is null && inputsV is not null)
            throw new ArgumentException($"{owner.TypeName} at '{scope.PathText}': a value input needs a key input; to use one tensor " +
                "for both, pass it as the key and leave the value null.", nameof(inputsV));
        inputsK ??= inputsQ;
        inputsV ??= inputsK;
        var inputs = new[] { inputsQ, inputsK, inputsV };
        if (inputs.Any(t => t.dim() < 2 || t.dim() != inputsQ.dim()))
            throw scope.ShapeError(owner, "query, key and value inputs need one rank ≥ 2, [batch…, length, features]; got " +
                string.Join(", ", inputs.Select(t => Shapes.Format(t.shape))) + ".");
        var qkvFeatures = config.QkvFeatures ?? inputsQ.size(-1);
        if (config.NumHeads <= 0 || qkvFeatures % config.NumHeads != 0)
            throw scope.ShapeError(owner, $"the qkv features ({qkvFeatures}) must be divisible by the number of heads ({config.NumHeads}).");
        long[] heads = [config.NumHeads, qkvFeatures / config.NumHeads];
        var query = scope.Call(Projection(config, "query", heads, 1, config.KernelInit, config.BiasInit), inputsQ);
        var key = scope.Call(Projection(config, "key", heads, 1, config.KernelInit, config.BiasInit), inputsK);
        var value = scope.Call(Projection(config, "value", heads, 1, config.KernelInit, config.BiasInit), inputsV);
        if (config.NormalizeQk)
        {
            query = scope.Call(new LayerNorm { Name = "query_ln", UseBias = false, Dtype = config.Dtype, ParamDtype = config.ParamDtype }, query);
            key = scope.Call(new LayerNorm { Name = "key_ln", UseBias = false, Dtype = config.Dtype, ParamDtype = config.ParamDtype }, key);
        }
        var deterministic = config.DropoutRate <= 0 || (config.Deterministic ?? !scope.Train);
        PrngKey? rng = deterministic ? null : dropoutRng ?? scope.MakeRng("dropout");
        Tensor attended;
        try
        {
            attended = AttentionFunctions.DotProductAttention(query, key, value, mask: mask, broadcastDropout: config.BroadcastDropout,
                dropoutRng: rng, dropoutRate: config.DropoutRate, deterministic: deterministic, dtype: config.Dtype,
                forceFp32ForSoftmax: config.ForceFp32ForSoftmax);
        }
        catch (InputShapeException e)
        {
            throw scope.ShapeError(owner, e.Message);
        }
        long[] outFeatures = [config.OutFeatures ?? inputsQ.size(-1)];
        return scope.Call(Projection(config, "out", outFeatures, 2, config.OutKernelInit ?? config.KernelInit, config.OutBiasInit ?? config.BiasInit), attended);
    }

    private static HeadProjection Projection(MultiHeadDotProductAttention config, string name, long[] features, int contractedAxes,
        Initializer kernelInit, Initializer biasInit) =>
        new(features, contractedAxes)
        {
            Name = name, KernelInit = kernelInit, BiasInit = biasInit, UseBias = config.UseBias,
            Dtype = config.Dtype, ParamDtype = config.ParamDtype,
        };
}
