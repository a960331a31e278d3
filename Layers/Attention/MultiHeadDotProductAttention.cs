using Linen.Functional;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Layers;

/// <summary>
/// Multi-head dot-product attention (<c>flax.linen.MultiHeadDotProductAttention</c>). The submodules
/// <c>query</c>, <c>key</c> and <c>value</c> project <c>[batch…, length, features]</c> inputs to
/// <c>[batch…, length, heads, head_dim]</c> (kernel <c>(in, heads, head_dim)</c>, bias <c>(heads, head_dim)</c>);
/// <see cref="AttentionFunctions.DotProductAttention"/> combines them; <c>out</c> projects back (kernel
/// <c>(heads, head_dim, out)</c>, bias <c>(out,)</c>). <c>head_dim = QkvFeatures / NumHeads</c>.
/// </summary>
/// <param name="NumHeads">The number of heads; it must divide the qkv features.</param>
public sealed record MultiHeadDotProductAttention(int NumHeads) : Module
{
    /// <summary>The compute type; null infers it from the inputs and parameters.</summary>
    public ScalarType? Dtype { get; init; }

    /// <summary>The type of the parameters.</summary>
    public ScalarType ParamDtype { get; init; } = ScalarType.Float32;

    /// <summary>The total size of the query, key and value projections over all heads; null: the query's features.</summary>
    public int? QkvFeatures { get; init; }

    /// <summary>The output features; null: the query's features.</summary>
    public int? OutFeatures { get; init; }

    /// <summary>Share one attention-dropout mask across the batch and the heads.</summary>
    public bool BroadcastDropout { get; init; } = true;

    /// <summary>The dropout rate on the attention weights.</summary>
    public double DropoutRate { get; init; }

    /// <summary>Disable attention dropout; null follows the call's mode (active only when training).</summary>
    public bool? Deterministic { get; init; }

    /// <summary>Initializer of the projection kernels (it sees the flattened 2-D kernel shape).</summary>
    public Initializer KernelInit { get; init; } = Initializers.LecunNormal();

    /// <summary>Initializer of the <c>out</c> kernel; null: <see cref="KernelInit"/>.</summary>
    public Initializer? OutKernelInit { get; init; }

    /// <summary>Initializer of the projection biases.</summary>
    public Initializer BiasInit { get; init; } = Initializers.Zeros;

    /// <summary>Initializer of the <c>out</c> bias; null: <see cref="BiasInit"/>.</summary>
    public Initializer? OutBiasInit { get; init; }

    /// <summary>Whether the projections have biases.</summary>
    public bool UseBias { get; init; } = true;

    /// <summary>Apply <see cref="LayerNorm"/>s <c>query_ln</c> and <c>key_ln</c> (scale only) to the projected query and key.</summary>
    public bool NormalizeQk { get; init; }

    /// <summary>Compute the softmax in float32 when the compute type is narrower.</summary>
    public bool ForceFp32ForSoftmax { get; init; }

    /// <summary>Self-attention: query, key and value all come from <paramref name="input"/>.</summary>
    /// <inheritdoc cref="Attend"/>
    public override Tensor Call(Scope scope, Tensor input) => Attend(scope, input);

    /// <summary>
    /// Attends from <paramref name="inputsQ"/> <c>[batch…, q, features]</c> to <paramref name="inputsK"/> (default:
    /// the query) with values from <paramref name="inputsV"/> (default: the key); <paramref name="mask"/> broadcasts
    /// to <c>[batch…, heads, q, kv]</c> and is zero where attention is blocked. Returns <c>[batch…, q, out]</c>.
    /// </summary>
    /// <exception cref="ArgumentException">A value input is given without a key input.</exception>
    /// <exception cref="InputShapeException">The heads do not divide the features, or the inputs or mask do not fit.</exception>
    /// <exception cref="MissingRngException">Attention dropout is active and no <c>dropout</c> key was given.</exception>
    public Tensor Attend(Scope scope, Tensor inputsQ, Tensor? inputsK = null, Tensor? inputsV = null, Tensor? mask = null, PrngKey? dropoutRng = null) =>
        AttentionCore.Run(this, this, scope, inputsQ, inputsK, inputsV, mask, dropoutRng);
}
