using Linen.Functional;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Linen.Bench.Baseline;

/// <summary>
/// Copies Linen parameters into the layouts LibTorch's functional ops take, as a user porting a Flax checkpoint
/// would, so that both sides compute the same function from the same values.
/// </summary>
internal sealed class TorchParams(ParamTree tree, bool trainable) : IDisposable
{
    private readonly List<Parameter> _trainable = [];
    private readonly List<Tensor> _made = [];

    /// <summary>The Linen parameters the copies are made from.</summary>
    public ParamTree Tree => tree;

    /// <summary>Every trainable parameter made so far, for the optimizer.</summary>
    public IReadOnlyList<Parameter> All => _trainable;

    /// <summary>A Dense kernel <c>(in, out)</c> as a linear weight <c>(out, in)</c>.</summary>
    public Tensor LinearWeight(string path) => Make(tree[path].t());

    /// <summary>A kernel <c>(…in dims, …out dims)</c> contracting <paramref name="inDims"/> leading dims, as a linear weight <c>(out, in)</c>.</summary>
    public Tensor LinearWeight(string path, int inDims)
    {
        var kernel = tree[path];
        var inSize = kernel.shape[..inDims].Aggregate(1L, (a, b) => a * b);
        return Make(kernel.reshape(inSize, -1).t());
    }

    /// <summary>A Conv kernel <c>(h, w, in, out)</c> as a conv2d weight <c>(out, in, h, w)</c>.</summary>
    public Tensor ConvWeight(string path) => Make(tree[path].permute(3, 2, 0, 1));

    /// <summary>Any other leaf, flattened to <paramref name="shape"/> (or as it is).</summary>
    public Tensor Plain(string path, params long[] shape) => Make(shape.Length == 0 ? tree[path] : tree[path].reshape(shape));

    /// <summary>A tensor made from a Linen leaf as it is given (already in LibTorch's layout).</summary>
    public Tensor Of(Tensor value) => Make(value);

    private Tensor Make(Tensor value)
    {
        var copy = value.detach().contiguous().clone().DetachFromDisposeScope();
        if (!trainable)
        {
            _made.Add(copy);
            return copy;
        }
        var parameter = new Parameter(copy, requires_grad: true);
        _trainable.Add(parameter);
        return parameter;
    }

    /// <summary>Frees every copy.</summary>
    public void Dispose()
    {
        foreach (var t in _made.Concat(_trainable)) t.Dispose();
    }
}
