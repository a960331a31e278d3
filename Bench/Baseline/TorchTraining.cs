using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Linen.Bench.Baseline;

/// <summary>
/// The training loop a TorchSharp user writes by hand: parameters as <see cref="Parameter"/>s, the forward pass as
/// plain functional ops, <c>cross_entropy</c>, <c>backward</c>, and <c>torch.optim.Adam</c> (PyTorch's in-place
/// Adam, the same update as optax's with the same defaults: ε outside the square root), one dispose scope per step.
/// </summary>
internal sealed class TorchTraining : IDisposable
{
    private readonly Func<Tensor, Tensor> _forward;
    private readonly Tensor _inputs;
    private readonly Tensor _labels;
    private readonly Adam _optimizer;

    public TorchTraining(Func<Tensor, Tensor> forward, IEnumerable<Parameter> parameters, Tensor inputs, Tensor labels, double learningRate = 1e-3)
    {
        (_forward, _inputs, _labels) = (forward, inputs, labels);
        _optimizer = optim.Adam(parameters, learningRate);
    }

    /// <summary>One step: forward, loss, backward, Adam.</summary>
    public void Step()
    {
        using var scope = NewDisposeScope();
        _optimizer.zero_grad();
        F.cross_entropy(_forward(_inputs), _labels).backward();
        _optimizer.step();
    }

    public void Dispose() => _optimizer.Dispose();
}
