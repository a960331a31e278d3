using Linen.Functional;
using Linen.Prng;
using Linen.Testing;
using Xunit;
using static TorchSharp.torch;

namespace Linen.Tests.Testing;

public class PurityTests
{
    [Fact]
    public void PassesOnCorrectModules()
    {
        using var scope = NewDisposeScope();
        var x = ones(3, 4);
        var model = new TanhMlp(5, 2);
        LayerAssert.AssertPure(model, model.Init(PrngKey.FromSeed(1), x), x);
    }

    [Fact]
    public void NamesTheInputChange()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<LayerAssertionException>(() => LayerAssert.AssertPure(new Broken.InputMutator(), Variables.Empty, ones(2, 3)));
        Assert.Equal("AssertPure failed for InputMutator: Apply changed its input in place, at index [0, 0]: 1 before, 2 after. " +
                     "Use out-of-place operations on the input (add, not add_).", e.Message);
    }

    [Fact]
    public void NamesTheVariableLeafThatChanged()
    {
        using var scope = NewDisposeScope();
        var model = new Broken.ParamMutator();
        var variables = model.Init(PrngKey.FromSeed(1), ones(2, 3));
        var e = Assert.Throws<LayerAssertionException>(() => LayerAssert.AssertPure(model, variables, ones(2, 3)));
        Assert.Equal("AssertPure failed for ParamMutator: Apply changed variable 'params/kernel' at index [0, 0]: 2 before, 3 after. " +
                     "Variables are immutable: return updated state through a mutable collection instead.", e.Message);
    }

    [Fact]
    public void NamesTheOutputThatChangedBetweenCalls()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<LayerAssertionException>(() => LayerAssert.AssertPure(new NoisyApply(), Variables.Empty, ones(2, 3)));
        Assert.Matches(@"^AssertPure failed for NoisyApply: two Applies with the same variables, input and rngs returned different outputs, " +
                       @"at index \[0, 0\]: \S+ first, \S+ second\. Randomness must come from scope\.MakeRng, not from torch's global generator\.$", e.Message);
    }

    /// <summary>Adds noise from torch's global generator.</summary>
    private sealed record NoisyApply : Module
    {
        public override Tensor Call(Scope scope, Tensor input) => input.Add(randn_like(input));
    }
}
