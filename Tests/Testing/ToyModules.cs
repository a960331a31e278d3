using Linen.Functional;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Tests.Testing;

/// <summary>The layer a user would write: a dense layer on (batch, features) inputs, kernel LeCun normal, bias zeros.</summary>
public sealed record MyDense(int Features) : Module
{
    public override Tensor Call(Scope scope, Tensor input)
    {
        if (input.dim() != 2) throw scope.ShapeError(this, $"expected a (batch, features) input, got shape {Shapes.Format(input.shape)}.");
        var kernel = scope.Param("kernel", Initializers.LecunNormal(), [input.shape[1], Features]);
        var bias = scope.Param("bias", Initializers.Zeros, [Features]);
        return input.mm(kernel).Add(bias);
    }
}

/// <summary>A correct nonlinear model with submodules: dense, tanh, dense.</summary>
internal sealed record TanhMlp(int Hidden, int Features) : Module
{
    public override Tensor Call(Scope scope, Tensor input) =>
        scope.Call(new MyDense(Features), scope.Call(new MyDense(Hidden), input).tanh());
}

/// <summary>
/// A correct layer with state and a key of its own, checked in training: it adds noise from the <c>noise</c> stream and
/// counts its training calls in <c>state/count</c> by setting a new value.
/// </summary>
internal sealed record NoisyCounter : Module
{
    public override Tensor Call(Scope scope, Tensor input)
    {
        var count = scope.Variable("state", "count", () => zeros(1));
        if (!scope.Train) return input.Mul(1);
        if (!scope.IsInitializing) count.Value = count.Value.Add(1);
        return input.Add(TensorSample.Normal(scope.MakeRng("noise"), input.shape));
    }
}

/// <summary>
/// Deliberately broken modules, one defect each, for checking that every assertion catches its defect.
/// Their parameters are all ones, so the failure messages hold exact values.
/// </summary>
internal static class Broken
{
    private static Tensor OnesKernel(Scope scope, Tensor input, int features) =>
        scope.Param("kernel", Initializers.Ones, [input.shape[1], features]);

    /// <summary>Doubles its input in place.</summary>
    public sealed record InputMutator : Module
    {
        public override Tensor Call(Scope scope, Tensor input) => input.mul_(Scalars.Two);
    }

    /// <summary>Adds one to its kernel in place on every call.</summary>
    public sealed record ParamMutator : Module
    {
        public override Tensor Call(Scope scope, Tensor input) => input.mm(OnesKernel(scope, input, 2).AddInPlace(1));
    }

    /// <summary>Right value, half the kernel gradient: half the kernel is hidden from autodiff.</summary>
    public sealed record HalfKernelGradient : Module
    {
        public override Tensor Call(Scope scope, Tensor input)
        {
            var kernel = OnesKernel(scope, input, 2);
            return input.mm(kernel.Mul(0.5).Add(kernel.detach().Mul(0.5)));
        }
    }

    /// <summary>Moves a temporary out of Apply's dispose scope into the caller's.</summary>
    public sealed record ScopeLeaker : Module
    {
        public override Tensor Call(Scope scope, Tensor input)
        {
            input.Mul(3).MoveToOuterDisposeScope();
            return input.Mul(2);
        }
    }

    /// <summary>Detaches a temporary from every dispose scope and keeps it.</summary>
    public sealed record DetachLeaker(List<Tensor> Kept) : Module
    {
        public override Tensor Call(Scope scope, Tensor input)
        {
            Kept.Add(ones(5).DetachFromDisposeScope());
            return input.Mul(2);
        }
    }

    /// <summary>Initialises its kernel from the process-wide generator instead of its key.</summary>
    public sealed record GlobalRandomInit : Module
    {
        public override Tensor Call(Scope scope, Tensor input) =>
            input.mm(scope.Param("kernel", (_, shape) => [.. Enumerable.Range(0, (int)Shapes.Numel(shape)).Select(_ => Random.Shared.NextSingle())],
                [input.shape[1], 2]));
    }

    /// <summary>Initialises its kernel from a fixed key, whatever key it is given.</summary>
    public sealed record FixedKeyInit : Module
    {
        public override Tensor Call(Scope scope, Tensor input) =>
            input.mm(scope.Param("kernel", (_, shape) => Sample.Normal(PrngKey.FromSeed(42), shape), [input.shape[1], 2]));
    }

    /// <summary>Counts its calls by adding to its state variable in place instead of setting a new value.</summary>
    public sealed record InPlaceCounter : Module
    {
        public override Tensor Call(Scope scope, Tensor input)
        {
            var count = scope.Variable("state", "count", () => zeros(1));
            if (!scope.IsInitializing && scope.IsMutable("state")) count.Value.AddInPlace(1);
            return input.Mul(1);
        }
    }

    /// <summary>Returns another output shape in Apply than in Init.</summary>
    public sealed record ShapeShifter : Module
    {
        public override Tensor Call(Scope scope, Tensor input)
        {
            var output = input.mm(OnesKernel(scope, input, 4));
            return scope.IsInitializing ? output : output.sum(-1, keepdim: true);
        }
    }

    /// <summary>Appends to a state variable whenever it may, so the state changes shape.</summary>
    public sealed record GrowingState : Module
    {
        public override Tensor Call(Scope scope, Tensor input)
        {
            var history = scope.Variable("state", "history", () => zeros(1));
            if (!scope.IsInitializing && scope.IsMutable("state")) history.Value = cat([history.Value, zeros(1)]);
            return input;
        }
    }

    /// <summary>Throws in Apply but not in Init.</summary>
    public sealed record ThrowsInApply : Module
    {
        public override Tensor Call(Scope scope, Tensor input) =>
            scope.IsInitializing ? input : throw scope.ShapeError(this, "refuses to run.");
    }
}
