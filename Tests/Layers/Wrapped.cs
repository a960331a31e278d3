using Linen.Functional;
using static TorchSharp.torch;

namespace Linen.Tests.Layers;

/// <summary>A root module holding one layer, so that the layer is a named submodule (<c>Dense_0</c>) as inside a model.</summary>
internal sealed record Wrapped(Module Layer) : Module
{
    public override Tensor Call(Scope scope, Tensor input) => scope.Call(Layer, input);
}
