using Linen.Functional;
using Linen.Layers;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Models;

/// <summary>The Transformer MLP: <c>Dense_0</c> (<see cref="MlpDim"/>), GELU, dropout, <c>Dense_1</c> (back to the input width), dropout.</summary>
/// <param name="MlpDim">The hidden width.</param>
public sealed record MlpBlock(int MlpDim) : Module
{
    /// <summary>Dropout after each dense layer.</summary>
    public double DropoutRate { get; init; } = 0.1;

    /// <summary>Use the exact (erf) GELU instead of the tanh approximation.</summary>
    public bool ExactGelu { get; init; }

    /// <summary>Runs the MLP on <paramref name="input"/> <c>(…, width)</c>.</summary>
    public override Tensor Call(Scope scope, Tensor input)
    {
        var kernelInit = Initializers.GlorotUniform();
        var biasInit = Initializers.Normal(1e-6f);
        var x = scope.Call(new Dense(MlpDim) { KernelInit = kernelInit, BiasInit = biasInit }, input);
        x = scope.Call(new Dropout(DropoutRate), Activations.Gelu(x, approximate: !ExactGelu));
        x = scope.Call(new Dense((int)input.size(-1)) { KernelInit = kernelInit, BiasInit = biasInit }, x);
        return scope.Call(new Dropout(DropoutRate), x);
    }
}
