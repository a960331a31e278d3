using Linen.Functional;
using Linen.Prng;
using TorchSharp;
using static TorchSharp.torch;

namespace Linen.Testing;

public static partial class LayerAssert
{
    /// <summary>
    /// Checks that <paramref name="action"/> leaves no tensor alive: TorchSharp's count of live tensors created on
    /// this thread (<c>DisposeScopeManager.Statistics</c>) is the same after it as before. The count is per
    /// thread, so tests running in parallel do not disturb it; work the action starts on other threads is not
    /// counted. The action runs in a dispose scope of its own: leaked tensors still in it are listed (dtype and shape, sorted) in the
    /// message and then freed; those that escaped every scope are counted.
    /// </summary>
    /// <param name="action">The code to check, e.g. <c>() =&gt; model.Apply(variables, x).Dispose()</c>.</param>
    /// <exception cref="LayerAssertionException">Tensors were left alive.</exception>
    public static void AssertNoLeaks(Action action)
    {
        var statistics = DisposeScopeManager.Statistics.TensorStatistics;
        var before = statistics.ThreadTotalLiveCount;
        long after;
        string[] listed;
        using (var scope = NewDisposeScope())
        {
            action();
            after = statistics.ThreadTotalLiveCount;
            listed = after > before
                ? [.. scope.DisposablesView.OfType<Tensor>().Where(t => !t.IsInvalid).Select(Describe).Order(StringComparer.Ordinal)]
                : [];
        }
        if (after <= before) return;
        var escaped = after - before - listed.Length;
        var what = string.Join(", ", listed) + (escaped > 0
            ? $"{(listed.Length > 0 ? "; and " : "")}{escaped} detached from every dispose scope (not listable)"
            : "");
        throw new LayerAssertionException(
            $"{nameof(AssertNoLeaks)} failed: the action left {after - before} tensor(s) alive " +
            $"(live tensors on this thread: {before} before, {after} after): {what}. " +
            "Create temporaries inside torch.NewDisposeScope() or Lifetime.Scoped, and dispose results you do not keep.");
    }

    /// <summary>
    /// Checks that Init and Apply of <paramref name="module"/> free every temporary: once the variables and output each
    /// call returns are disposed again, no tensor it created is alive (see <see cref="AssertNoLeaks(Action)"/>). Variables
    /// that Apply returns unchanged are the given ones, and stay alive.
    /// </summary>
    /// <param name="module">The module under test.</param>
    /// <param name="key">The <c>params</c> key for Init.</param>
    /// <param name="input">A valid input.</param>
    /// <param name="rngs">Keys for the streams other than <c>params</c> that Init and Apply draw from (e.g. <c>dropout</c>).</param>
    /// <param name="train">Training mode, for Init and Apply.</param>
    /// <param name="mutable">The collections Apply may update (e.g. <c>batch_stats</c> in training); none by default.</param>
    /// <exception cref="LayerAssertionException">Tensors were left alive, or the module threw.</exception>
    public static void AssertNoLeaks(Module module, PrngKey key, Tensor input, Rngs? rngs = null, bool train = false, CollectionFilter? mutable = null)
    {
        const string check = nameof(AssertNoLeaks);
        AssertNoLeaks(() =>
        {
            var (output, made) = Run(check, module, key, "Init", () => module.InitWithOutput(InitRngs(key, rngs), input, train));
            DisposeOutput(output, input);
            foreach (var t in made.Tensors) t.Dispose();
        });
        using var scope = NewDisposeScope();
        var variables = Run(check, module, key, "Init", () => module.Init(InitRngs(key, rngs), input, train));
        AssertNoLeaks(() => Run(check, module, key, "Apply", () => ApplyAndDispose(module, variables, input, rngs, train, mutable)));
    }
}
