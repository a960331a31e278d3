using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Linen.Bench.Baseline;

/// <summary>The MLP written directly in TorchSharp: flatten, then linear layers with SELU between.</summary>
internal sealed class TorchMlp(TorchParams p, int layers)
{
    private readonly (Tensor Weight, Tensor Bias)[] _layers =
        [.. Enumerable.Range(0, layers).Select(i => (p.LinearWeight($"Dense_{i}/kernel"), p.Plain($"Dense_{i}/bias")))];

    public Tensor Forward(Tensor x)
    {
        x = x.flatten(1);
        for (int i = 0; i < _layers.Length; i++)
        {
            x = F.linear(x, _layers[i].Weight, _layers[i].Bias);
            if (i < _layers.Length - 1) x = F.selu(x);
        }
        return x;
    }
}
