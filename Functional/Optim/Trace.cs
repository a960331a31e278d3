using TorchSharp;
using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>The state of <see cref="Optax.Trace"/> (optax's <c>TraceState</c>).</summary>
/// <param name="Trace">The running trace, shaped like the parameters.</param>
public sealed record TraceState(ParamTree Trace) : OptState
{
    /// <inheritdoc />
    protected override IEnumerable<Tensor> EnumerateTensors() => Trace.Leaves;
}

public static partial class Optax
{
    /// <summary>
    /// <c>optax.trace</c> (heavy-ball momentum): <c>t ← g + decay·t</c> from <c>t = 0</c>, no dampening; emits
    /// <c>t</c>, or <c>g + decay·t</c> with <paramref name="nesterov"/>.
    /// </summary>
    public static GradientTransformation Trace(double decay, bool nesterov = false) => new(
        parameters => new TraceState(TreeMath.ZerosLike(parameters)),
        (updates, state, _) =>
        {
            var trace = state.Expect<TraceState>(nameof(Trace)).Trace;
            TreeMath.RequireMatch(nameof(Trace), updates, trace, "trace");
            using var kept = decay.ToScalar();
            var next = TreeMath.Zip(updates, trace, (g, t) => t.mul(kept).AddInPlace(g));
            var emitted = nesterov ? TreeMath.Zip(updates, next, (g, t) => t.mul(kept).AddInPlace(g)) : next;
            return (emitted, new TraceState(next));
        });
}
