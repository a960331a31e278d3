// The example of README.md, verbatim (ReadmeQuickStartTests checks that they match).
using Linen.Functional;
using Linen.Layers;
using Linen.Prng;
using static TorchSharp.torch;

public sealed record Classifier(int Hidden, int Classes) : Module
{
    public override Tensor Call(Scope scope, Tensor x) =>
        scope.Call(new Dense(Classes), Activations.Relu(scope.Call(new Dense(Hidden), x)));
}

public static class QuickStart
{
    public static ParamTree Run()
    {
        var model = new Classifier(Hidden: 32, Classes: 10);
        var x = ones(8, 784);
        var variables = model.Init(PrngKey.FromSeed(0), x);   // {"params": {"Dense_0": {"bias", "kernel"}, "Dense_1": …}}
        Tensor logits = model.Apply(variables, x);            // (8, 10); nothing passed in changes
        var (loss, grads) = Autodiff.ValueAndGrad(
            p => model.Apply(Variables.FromParams(p), x).Square().mean(), variables.Params);
        Console.WriteLine($"loss {loss.item<float>()}, logits {logits.shape[1]}\n{grads}"); // grads: the params' tree
        return grads;
    }
}
