using Linen.Functional;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Tests.Cli;

/// <summary>A dense layer written in the tests, so the program's tests do not wait on Linen.Layers.</summary>
internal sealed record TestDense(int Features) : Module
{
    public override string TypeName => "Dense";

    public override Tensor Call(Scope scope, Tensor input)
    {
        var kernel = scope.Param("kernel", Initializers.LecunNormal(), [input.shape[^1], Features]);
        var bias = scope.Param("bias", Initializers.Zeros, [Features]);
        return input.mm(kernel).Add(bias);
    }
}

/// <summary>A small classifier: flatten, dense 32, ReLU, dense to the classes.</summary>
internal sealed record TinyClassifier(int Classes) : Module
{
    public override Tensor Call(Scope scope, Tensor input)
    {
        var x = input.reshape(input.shape[0], -1);
        x = scope.Call(new TestDense(32), x).relu();
        return scope.Call(new TestDense(Classes), x);
    }
}
