using Linen.Cli.Training;
using Linen.Functional;
using Linen.Prng;
using static TorchSharp.torch;

namespace Linen.Cli.Commands;

/// <summary>Rebuilds the model of a <c>linen train</c> checkpoint with its stored variables, for eval and predict.</summary>
internal static class ModelLoader
{
    /// <summary>The checkpoint's model spec, model, variables and info.</summary>
    /// <exception cref="UserException">Missing or foreign file, unknown model, or variables that do not fit the model.</exception>
    /// <exception cref="CheckpointException">A corrupt file.</exception>
    public static (ModelSpec Spec, Module Model, Variables Variables, CheckpointInfo Info) Load(ModelRegistry models, string path, Device device)
    {
        var (tree, info) = TrainingCheckpoint.Load(path);
        var spec = models.Get(info.Model);
        var model = spec.Create(info.Classes.Count);
        using var scope = NewDisposeScope();
        var template = model.Init(PrngKey.FromSeed(0), zeros(spec.InputShape(1), device: device));
        var variables = TrainingCheckpoint.RestoreVariables(template, tree, path, info.Model);
        var moved = new Variables(variables.Tree.Map(t => t.to(device)));
        foreach (var t in moved.Tensors) t.MoveToOuterDisposeScope();
        return (spec, model, moved, info);
    }
}
