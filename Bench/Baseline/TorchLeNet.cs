using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Linen.Bench.Baseline;

/// <summary>LeNet-5 written directly in TorchSharp on NCHW images: conv, ReLU, max-pool twice, then three linear layers.</summary>
internal sealed class TorchLeNet
{
    private readonly (Tensor Weight, Tensor Bias)[] _convs;
    private readonly (Tensor Weight, Tensor Bias)[] _dense;

    public TorchLeNet(TorchParams p)
    {
        _convs = [(p.ConvWeight("Conv_0/kernel"), p.Plain("Conv_0/bias")), (p.ConvWeight("Conv_1/kernel"), p.Plain("Conv_1/bias"))];
        // Linen flattens (h, w, c) features, LibTorch (c, h, w): reorder the first dense kernel's rows once.
        var kernel = p.Tree["Dense_0/kernel"];
        var first = p.Of(kernel.reshape(4, 4, 16, kernel.shape[1]).permute(2, 0, 1, 3).reshape(256, kernel.shape[1]).t());
        _dense = [(first, p.Plain("Dense_0/bias")), (p.LinearWeight("Dense_1/kernel"), p.Plain("Dense_1/bias")),
            (p.LinearWeight("Dense_2/kernel"), p.Plain("Dense_2/bias"))];
    }

    public Tensor Forward(Tensor x)
    {
        foreach (var (weight, bias) in _convs) x = F.max_pool2d(F.relu(F.conv2d(x, weight, bias)), 2, 2);
        x = x.flatten(1);
        for (int i = 0; i < _dense.Length; i++)
        {
            x = F.linear(x, _dense[i].Weight, _dense[i].Bias);
            if (i < _dense.Length - 1) x = F.relu(x);
        }
        return x;
    }
}
