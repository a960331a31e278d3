using Linen.Functional;
using Linen.Prng;
using Xunit;
using static TorchSharp.torch;

namespace Linen.Tests.Functional;

/// <summary><see cref="ModuleInterception"/>: which calls an interceptor sees, in what order, and where it stops.</summary>
public class ModuleInterceptionTests
{
    private sealed record TestDense(int Features) : Module
    {
        public override string TypeName => "Dense";

        public override Tensor Call(Scope scope, Tensor input) =>
            input.mm(scope.Param("kernel", Initializers.LecunNormal(), [input.shape[^1], Features]));
    }

    private sealed record Block : Module
    {
        public override Tensor Call(Scope scope, Tensor input) =>
            scope.Call(new TestDense(2), scope.Call(new TestDense(3), input));
    }

    /// <summary>A block, then one dense layer used twice: by <c>Call</c>, then by <c>Bind</c>.</summary>
    private sealed record Net : Module
    {
        public override Tensor Call(Scope scope, Tensor input)
        {
            var shared = new TestDense(2);
            var x = scope.Call(shared, scope.Call(new Block(), input));
            return scope.Bind(shared, s => shared.Call(s, x));
        }
    }

    /// <summary>Writes one line when a call starts and one when it returns.</summary>
    private sealed class Recorder : IModuleInterceptor
    {
        public List<string> Events { get; } = [];

        public T Intercept<T>(ModuleCall call, Func<T> next)
        {
            Events.Add($"enter {call.Scope.PathText} {call.Module.TypeName} {ShapeOf(call.Input)}");
            var output = next();
            Events.Add($"exit {call.Scope.PathText} {ShapeOf(output as Tensor)}");
            return output;
        }

        private static string ShapeOf(Tensor? t) => t is null ? "-" : Shapes.Format(t.shape);
    }

    /// <summary>Tags its calls with its name, to show the order in which nested interceptors run.</summary>
    private sealed class Tagger(string name, List<string> log) : IModuleInterceptor
    {
        public T Intercept<T>(ModuleCall call, Func<T> next)
        {
            log.Add($"{name} {call.Scope.PathText}");
            return next();
        }
    }

    private static readonly Tensor X = ones(4, 5);

    [Fact]
    public void SeesEverySubmoduleCallInCallOrderWithPathsInputsAndOutputs()
    {
        var recorder = new Recorder();
        using (ModuleInterception.Use(recorder)) new Net().Init(PrngKey.FromSeed(0), X);

        Assert.Equal(
        [
            "enter /Block_0 Block (4, 5)",
            "enter /Block_0/Dense_0 Dense (4, 5)",
            "exit /Block_0/Dense_0 (4, 3)",
            "enter /Block_0/Dense_1 Dense (4, 3)",
            "exit /Block_0/Dense_1 (4, 2)",
            "exit /Block_0 (4, 2)",
            // The shared layer is one module (one name, one kernel) called twice; Bind has no single input.
            "enter /Dense_0 Dense (4, 2)",
            "exit /Dense_0 (4, 2)",
            "enter /Dense_0 Dense -",
            "exit /Dense_0 (4, 2)",
        ], recorder.Events);
    }

    [Fact]
    public void ChangesNothingAndStopsWhenDisposed()
    {
        var model = new Net();
        var variables = model.Init(PrngKey.FromSeed(0), X);
        var plain = model.Apply(variables, X);
        var recorder = new Recorder();

        Tensor intercepted;
        using (ModuleInterception.Use(recorder)) intercepted = model.Apply(variables, X);
        var after = model.Apply(variables, X);

        Assert.Equal(10, recorder.Events.Count);
        Assert.Equal(plain.data<float>().ToArray(), intercepted.data<float>().ToArray());
        Assert.Equal(plain.data<float>().ToArray(), after.data<float>().ToArray());
        Assert.Equal(["params/Block_0/Dense_0/kernel", "params/Block_0/Dense_1/kernel", "params/Dense_0/kernel"], variables.Tree.Paths);
    }

    [Fact]
    public void NestedRegistrationsRunLatestFirstAndEndInReverseOrder()
    {
        var log = new List<string>();
        var outer = ModuleInterception.Use(new Tagger("first", log));
        var inner = ModuleInterception.Use(new Tagger("second", log));

        new Block().Init(PrngKey.FromSeed(0), X);
        var error = Assert.Throws<InvalidOperationException>(outer.Dispose);
        inner.Dispose();
        new Block().Init(PrngKey.FromSeed(0), X);
        outer.Dispose();
        new Block().Init(PrngKey.FromSeed(0), X);

        Assert.Equal(
            ["second /Dense_0", "first /Dense_0", "second /Dense_1", "first /Dense_1", "first /Dense_0", "first /Dense_1"],
            log);
        Assert.Equal("Module interceptors must be disposed in reverse order of registration, on the flow that registered them.", error.Message);
    }

    [Fact]
    public async Task ConcurrentFlowsSeeOnlyTheirOwnCalls()
    {
        using var bothRegistered = new Barrier(2);
        using var bothDone = new Barrier(2);
        Task<List<string>> Start(Module model) => Task.Factory.StartNew(() =>
        {
            var recorder = new Recorder();
            using (ModuleInterception.Use(recorder))
            {
                bothRegistered.SignalAndWait();
                model.Init(PrngKey.FromSeed(0), X);
                bothDone.SignalAndWait();
            }
            return recorder.Events;
        }, TaskCreationOptions.LongRunning);

        var (blockRun, netRun) = (Start(new Block()), Start(new Net()));
        var (block, net) = (await blockRun, await netRun);

        Assert.Equal(
            ["enter /Dense_0 Dense (4, 5)", "exit /Dense_0 (4, 3)", "enter /Dense_1 Dense (4, 3)", "exit /Dense_1 (4, 2)"],
            block);
        Assert.Equal(10, net.Count);
        Assert.Equal("enter /Block_0 Block (4, 5)", net[0]);
    }
}
