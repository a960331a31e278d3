using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>
/// <c>jax.grad</c> and <c>jax.value_and_grad</c> over a <see cref="ParamTree"/> argument, on LibTorch autograd.
/// The gradient is a tree of the same structure; leaves the function does not use get zeros.
/// The arguments are not changed: the function sees fresh leaves that share their storage.
/// </summary>
public static class Autodiff
{
    /// <summary>The gradient of the scalar function <paramref name="f"/> at <paramref name="parameters"/>.</summary>
    /// <exception cref="LinenException"><paramref name="f"/> does not return a floating-point scalar.</exception>
    public static ParamTree Grad(Func<ParamTree, Tensor> f, ParamTree parameters)
    {
        var (value, grad) = ValueAndGrad(f, parameters);
        value.Dispose();
        return grad;
    }

    /// <summary>The value and gradient of the scalar function <paramref name="f"/> at <paramref name="parameters"/>.</summary>
    /// <exception cref="LinenException"><paramref name="f"/> does not return a floating-point scalar.</exception>
    public static (Tensor Value, ParamTree Grad) ValueAndGrad(Func<ParamTree, Tensor> f, ParamTree parameters)
    {
        var (value, _, grad) = ValueAndGrad(p => (f(p), 0), parameters);
        return (value, grad);
    }

    /// <summary>
    /// <c>value_and_grad(f, has_aux=True)</c>: <paramref name="f"/> returns the scalar to differentiate and an
    /// auxiliary result (tensors in it escape to the caller too).
    /// </summary>
    /// <exception cref="LinenException"><paramref name="f"/> does not return a floating-point scalar.</exception>
    public static (Tensor Value, TAux Aux, ParamTree Grad) ValueAndGrad<TAux>(Func<ParamTree, (Tensor Value, TAux Aux)> f, ParamTree parameters)
    {
        using var scope = NewDisposeScope();
        var tracked = parameters.Map(p => p.detach().requires_grad_(p.is_floating_point()));
        var (value, aux) = f(tracked);
        if (value.numel() != 1 || !value.is_floating_point())
            throw new LinenException(
                $"ValueAndGrad needs a function returning a floating-point scalar; it returned {value.dtype} of shape {Shapes.Format(value.shape)}.");
        // backward() reports errors as catchable exceptions, unlike autograd.grad, which aborts the process.
        if (value.requires_grad) value.backward();
        var grad = tracked.Map(p => p.grad ?? zeros_like(p));  // a leaf's grad has no history: no detach needed
        var result = (value.detach().reshape([]), aux, grad);
        Lifetime.Escape(scope, Transform.TensorsOf(result));
        return result;
    }
}
