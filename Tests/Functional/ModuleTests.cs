using Linen.Functional;
using Linen.Prng;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Linen.Tests.Functional;

/// <summary>The init/apply mechanics of spec/linen.md §A on small test modules.</summary>
public class ModuleTests
{
    /// <summary>
    /// A minimal dense layer: kernel (in, features), bias zeros. The kernel initialiser writes the low 16 bits of
    /// its key's words into the first two entries, so tests can read back which key each parameter got.
    /// </summary>
    private sealed record TestDense(int Features) : Module
    {
        public override string TypeName => "Dense";

        public override Tensor Call(Scope scope, Tensor input)
        {
            var kernel = scope.Param("kernel", KeyStamp, [input.shape[^1], Features]);
            var bias = scope.Param("bias", (_, shape) => new float[Shapes.Numel(shape)], [Features]);
            return input.mm(kernel).Add(bias);
        }

        private static float[] KeyStamp(PrngKey key, long[] shape)
        {
            var values = new float[Shapes.Numel(shape)];
            values[0] = key.K0 & 0xFFFF;
            values[1] = key.K1 & 0xFFFF;
            return values;
        }
    }

    private sealed record TwoLayers : Module
    {
        public override Tensor Call(Scope scope, Tensor input) =>
            scope.Call(new TestDense(2), scope.Call(new TestDense(3), input).relu());
    }

    private sealed record Counter : Module
    {
        public override Tensor Call(Scope scope, Tensor input)
        {
            var count = scope.Variable("counter", "count", () => zeros(1));
            if (!scope.IsInitializing) count.Value = count.Value.Add(1);
            return input;
        }
    }

    private static readonly Tensor X = ones(4, 5);

    [Fact]
    public void InitCreatesParamsAtFlaxPaths()
    {
        var variables = new TwoLayers().Init(PrngKey.FromSeed(0), X);
        Assert.Equal(["params/Dense_0/bias", "params/Dense_0/kernel", "params/Dense_1/bias", "params/Dense_1/kernel"], variables.Tree.Paths);
        Assert.Equal(new long[] { 5, 3 }, variables.Params["Dense_0/kernel"].shape);
        Assert.Equal(new long[] { 3, 2 }, variables.Params["Dense_1/kernel"].shape);
        Assert.Equal(5 * 3 + 3 + 3 * 2 + 2, variables.Params.ParameterCount);
    }

    [Fact]
    public void KernelKeyIsDerivedFromPathAndCount()
    {
        var variables = new TwoLayers().Init(PrngKey.FromSeed(0), X);
        // Dense_0's kernel is the first 'params' draw of module /Dense_0: key [3043437727, 3662875008].
        var kernel = variables.Params["Dense_0/kernel"].data<float>().ToArray();
        Assert.Equal([3043437727u & 0xFFFF, 3662875008u & 0xFFFF], kernel[..2]);
    }

    [Fact]
    public void ApplyIsPureAndDeterministic()
    {
        var model = new TwoLayers();
        var variables = model.Init(PrngKey.FromSeed(1), X);
        var before = variables.Params.Map(t => t.clone());
        var a = model.Apply(variables, X);
        var b = model.Apply(variables, X);
        Assert.True(a.equal(b).all().item<bool>());
        Assert.True(ParamTree.AllClose(before, variables.Params, 0, 0));
        Assert.Equal(new long[] { 4, 2 }, a.shape);
    }

    [Fact]
    public void MissingParamNamesModuleAndParameter()
    {
        var model = new TwoLayers();
        var variables = model.Init(PrngKey.FromSeed(1), X);
        var broken = Variables.FromParams(variables.Params.Remove("Dense_1/kernel"));
        var e = Assert.Throws<VariableNotFoundException>(() => model.Apply(broken, X));
        Assert.Equal("Could not find parameter 'kernel' of module '/Dense_1' in collection 'params' (keys there: bias). " +
                     "Were the variables made by Init of this model?", e.Message);
    }

    [Fact]
    public void ShapeMismatchNamesExpectedAndActual()
    {
        var model = new TwoLayers();
        var variables = model.Init(PrngKey.FromSeed(1), X);
        var e = Assert.Throws<ParamShapeException>(() => model.Apply(variables, ones(4, 7)));
        Assert.Equal("Parameter 'kernel' of module '/Dense_0' has shape (5, 3) in the given variables, but the module expects (7, 3). " +
                     "Were the variables made for another model or input size?", e.Message);
    }

    [Fact]
    public void DoubleWrappedVariablesAreRejected()
    {
        var model = new TwoLayers();
        var variables = model.Init(PrngKey.FromSeed(1), X);
        var wrapped = Variables.FromParams(ParamTree.Empty.SetItem("params", variables.Params));
        Assert.Throws<InvalidVariablesStructureException>(() => model.Apply(wrapped, X));
    }

    [Fact]
    public void MutableCollectionsAreReturnedAndInputsUntouched()
    {
        var model = new Counter();
        var variables = model.Init(PrngKey.FromSeed(0), X);
        Assert.Equal(0f, variables["counter"]["count"].item<float>());
        var (_, mutated) = model.Apply(variables, X, mutable: "counter");
        Assert.Equal(1f, mutated["counter"]["count"].item<float>());
        Assert.Equal(0f, variables["counter"]["count"].item<float>());
        var e = Assert.Throws<ImmutableCollectionException>(() => model.Apply(variables, X));
        Assert.Contains("Cannot update variable 'count' of collection 'counter' in module '/'", e.Message);
    }

    private sealed record RngUser(string Stream) : Module
    {
        public override Tensor Call(Scope scope, Tensor input)
        {
            var key = scope.MakeRng(Stream);
            return tensor(new[] { (long)key.K0, key.K1 });
        }
    }

    [Fact]
    public void MissingStreamFallsBackToParamsThenFails()
    {
        var model = new RngUser("dropout");
        var fallback = Transform.Apply(Variables.Empty, s => model.Call(s, X), Rngs.Of(PrngKey.FromSeed(0)));
        // Root module, first draw of the params stream: [1428664606, 3351135085].
        Assert.Equal(new long[] { 1428664606, 3351135085 }, fallback.data<long>().ToArray());
        var e = Assert.Throws<MissingRngException>(() => model.Apply(Variables.Empty, X));
        Assert.Contains("'dropout'", e.Message);
    }

    private sealed record Shared : Module
    {
        public override Tensor Call(Scope scope, Tensor input)
        {
            var dense = new TestDense(5);
            return scope.Call(dense, scope.Call(dense, input));
        }
    }

    [Fact]
    public void SameInstanceSharesWeights()
    {
        var variables = new Shared().Init(PrngKey.FromSeed(0), X);
        Assert.Equal(["params/Dense_0/bias", "params/Dense_0/kernel"], variables.Tree.Paths);
    }

    private sealed record Clash : Module
    {
        public override Tensor Call(Scope scope, Tensor input) =>
            scope.Call(new TestDense(2) { Name = "head" }, scope.Call(new TestDense(5) { Name = "head" }, input));
    }

    [Fact]
    public void ExplicitNameCollisionIsAnError()
    {
        var e = Assert.Throws<NameInUseException>(() => new Clash().Init(PrngKey.FromSeed(0), X));
        Assert.Equal("Cannot create submodule 'head' in module '/': the name is already in use " +
                     "(parameters, variables and submodules share one namespace).", e.Message);
    }

    [Fact]
    public void GradMatchesClosedForm()
    {
        var p = ParamTree.Empty.SetItem("w", tensor(new[] { 1f, 2f, 3f })).SetItem("b/c", tensor(4f));
        var (value, grad) = Autodiff.ValueAndGrad(t => (t["w"] * t["w"]).sum() * t["b/c"], p);
        Assert.Equal(14f * 4f, value.item<float>());
        Assert.Equal(new[] { 8f, 16f, 24f }, grad["w"].data<float>().ToArray());
        Assert.Equal(14f, grad["b/c"].item<float>());
        Assert.False(p["w"].requires_grad);
    }

    private sealed record PassThrough : Module
    {
        public override Tensor Call(Scope scope, Tensor input) => input;
    }

    [Fact]
    public void ApplyLeavesPassedThroughTensorsWithTheirOwner()
    {
        using var outer = NewDisposeScope();
        var x = ones(2);
        var y = new PassThrough().Apply(Variables.Empty, x);
        Assert.Same(x, y);
        Assert.True(outer.Contains(x));
    }
    /// <summary>Three temporaries and an output per call.</summary>
    private sealed record Temporaries : Module
    {
        public override Tensor Call(Scope scope, Tensor input) => input.Mul(2).Add(1).tanh().Mul(3);
    }

    private sealed record Chain(int Depth) : Module
    {
        public override Tensor Call(Scope scope, Tensor input)
        {
            for (var i = 0; i < Depth; i++) input = scope.Call(new Temporaries(), input);
            return input;
        }
    }

    /// <summary>Records the live tensor count of this thread as each submodule call starts.</summary>
    private sealed class LiveCounts : IModuleInterceptor
    {
        public List<long> AtEntry { get; } = [];

        public T Intercept<T>(ModuleCall call, Func<T> next)
        {
            AtEntry.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
            return next();
        }
    }

    [Fact]
    public void SubmoduleTemporariesAreFreedWhenItReturns()
    {
        using var outer = NewDisposeScope();
        var counts = new LiveCounts();
        using (ModuleInterception.Use(counts)) new Chain(6).Apply(Variables.Empty, X);
        // Between two calls only the earlier call's output is still alive, not its three temporaries.
        Assert.Equal([1, 1, 1, 1, 1], counts.AtEntry.Zip(counts.AtEntry.Skip(1), (a, b) => b - a));
    }

    private sealed record CountsInASubmodule : Module
    {
        public override Tensor Call(Scope scope, Tensor input) => scope.Call(new Counter(), input.Mul(2));
    }

    [Fact]
    public void VariablesASubmoduleWritesOutliveItsCall()
    {
        using var outer = NewDisposeScope();
        var model = new CountsInASubmodule();
        var variables = model.Init(PrngKey.FromSeed(0), X);
        var (output, mutated) = model.Apply(variables, X, mutable: "counter");
        mutated = model.Apply(mutated, X, mutable: "counter").Mutated;
        Assert.Equal(2f, mutated["counter"]["Counter_0/count"].item<float>());
        Assert.Equal(2f, output[0, 0].item<float>());
    }
}
