using System.Globalization;
using Linen.Functional;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Testing;

public static partial class LayerAssert
{
    private const string InputLeaf = "input";
    private static readonly PrngKey LossWeightsKey = PrngKey.FromSeed(0);

    /// <summary>
    /// Checks the gradient autodiff gives for every parameter (the <c>params</c> collection) and for a
    /// floating-point input against central finite differences <c>(L(p + ε) - L(p - ε)) / 2ε</c>. Parameters,
    /// other collections and the input are converted to float64 for the check, so the tolerances can be tight.
    /// The message names the worst entry: its leaf path (<c>params/…</c> or <c>input</c>), index, and both values.
    /// </summary>
    /// <param name="module">The module under test.</param>
    /// <param name="variables">Its variables (from Init); converted to float64, not changed.</param>
    /// <param name="input">A valid input; a floating-point one is converted to float64 and checked too.</param>
    /// <param name="loss">The scalar to differentiate, of Apply's output; by default the sum of the output times
    /// fixed standard-normal weights (a plain sum would miss errors that cancel, e.g. in a softmax).</param>
    /// <param name="rtol">Relative tolerance, of the numeric value.</param>
    /// <param name="atol">Absolute tolerance.</param>
    /// <param name="epsilon">The finite-difference step.</param>
    /// <param name="maxEntriesPerLeaf">How many entries of each leaf to check (evenly spread); each costs two Applies.</param>
    /// <param name="rngs">Keys for the streams Apply draws from; every evaluation gets the same ones.</param>
    /// <param name="train">Training mode.</param>
    /// <param name="mutable">The collections Apply may update (e.g. <c>batch_stats</c> in training); their new values are dropped.</param>
    /// <exception cref="LayerAssertionException">An entry is out of tolerance, or the module threw.</exception>
    public static void AssertGradMatchesFiniteDifferences(
        Module module, Variables variables, Tensor input, Func<Tensor, Tensor>? loss = null,
        double rtol = 1e-5, double atol = 1e-7, double epsilon = 1e-6, int maxEntriesPerLeaf = 64,
        Rngs? rngs = null, bool train = false, CollectionFilter? mutable = null)
    {
        const string check = nameof(AssertGradMatchesFiniteDifferences);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEntriesPerLeaf);
        using var scope = NewDisposeScope();
        var wide = new Variables(variables.Tree.Map(ToFloat64));
        var point = ParamTree.Empty.SetItem(InputLeaf, ToFloat64(input));
        if (wide.Has(Variables.ParamsCollection)) point = point.SetItem(Variables.ParamsCollection, wide.Params);

        var probe = Run(check, module, null, "Apply", () => ApplyOutput(module, wide, point[InputLeaf], rngs, train, mutable));
        var weights = tensor(Sample.Normal(LossWeightsKey, probe.shape), probe.shape, ScalarType.Float32).to_type(ScalarType.Float64);
        Tensor Loss(ParamTree at)
        {
            var atVariables = at.TryGetSubtree(Variables.ParamsCollection, out var p) ? wide.WithParams(p) : wide;
            var output = ApplyOutput(module, atVariables, at[InputLeaf], rngs, train, mutable);
            return loss is null ? (output.to_type(ScalarType.Float64) * weights).sum() : loss(output);
        }

        var (_, grad) = Run(check, module, null, "Autodiff of the loss", () => Autodiff.ValueAndGrad(Loss, point));
        var worst = (Ratio: 0.0, Path: "", Index: "", Analytic: 0.0, Numeric: 0.0);
        int checkedCount = 0, failedCount = 0;
        using (no_grad())
        {
            foreach (var (path, leaf) in point.Flatten().Where(kv => kv.Value.is_floating_point()))
            {
                var flat = leaf.flatten();
                var analytic = grad[path].flatten();
                foreach (var i in SpreadIndices(flat.numel(), maxEntriesPerLeaf))
                {
                    using var step = NewDisposeScope();
                    double At(double delta)
                    {
                        var moved = flat.clone();
                        moved[i] = moved[i].Add(delta);
                        return Loss(point.SetItem(path, moved.reshape(leaf.shape))).to_type(ScalarType.Float64).item<double>();
                    }
                    var numeric = Run(check, module, null, "Apply in the finite differences", () => (At(epsilon) - At(-epsilon)) / (2 * epsilon));
                    var exact = analytic[i].item<double>();
                    var ratio = Math.Abs(exact - numeric) / (atol + rtol * Math.Abs(numeric));
                    checkedCount++;
                    if (ratio > 1) failedCount++;
                    if (ratio > worst.Ratio || double.IsNaN(ratio))
                        worst = (double.IsNaN(ratio) ? double.PositiveInfinity : ratio, path, TensorDiff.Index(leaf.shape, i), exact, numeric);
                }
            }
        }
        if (failedCount == 0) return;
        throw Failure(check, module,
            $"the gradient of the loss with respect to '{worst.Path}' at index {worst.Index} is {Num(worst.Analytic)} by autodiff " +
            $"but {Num(worst.Numeric)} by central differences (float64, epsilon {Num(epsilon)}); the difference " +
            $"{Num(Math.Abs(worst.Analytic - worst.Numeric))} exceeds {Num(atol)} + {Num(rtol)} * |numeric|. " +
            $"{failedCount} of {checkedCount} checked entries disagree; this is the worst. " +
            "A detach(), an in-place update or a hand-written backward can cause this.");
    }

    private static string Num(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static Tensor ToFloat64(Tensor t) => t.is_floating_point() ? t.detach().to_type(ScalarType.Float64) : t;

    /// <summary>All indices when there are at most <paramref name="max"/>, otherwise <paramref name="max"/> evenly spread ones.</summary>
    private static IEnumerable<long> SpreadIndices(long count, int max) =>
        count <= max ? Enumerable.Range(0, (int)count).Select(i => (long)i) : Enumerable.Range(0, max).Select(i => i * count / max);
}
