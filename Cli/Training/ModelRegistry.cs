using Linen.Cli.Data;
using Linen.Functional;
using Linen.Models;

namespace Linen.Cli.Training;

/// <summary>The models known by name, in the order the help lists them.</summary>
/// <param name="Models">The entries.</param>
internal sealed record ModelRegistry(IReadOnlyList<ModelSpec> Models)
{
    /// <summary>The models of <c>Linen.Models</c>: the MNIST tutorial's three, ResNets, and ViT presets for image folders.</summary>
    public static readonly ModelRegistry Default = new(
    [
        Mnist("mlp", "784-300-300-n MLP with SELU (the tutorial's).", n => new Mlp { Features = [300, 300, n] }),
        Mnist("lenet", "LeNet-5 with VALID convolutions (the tutorial's).", n => new LeNet { Classes = n }),
        Mnist("vit-mnist", "Small ViT for 28×28×1: patch 4, width 64, 4 layers, 4 heads.", n => VisionTransformer.Mnist(n)) with { LearningRate = 1e-3 },
        Mnist("resnet18-mnist", "ResNet-18 with BatchNorm on 28×28×1.", n => ResNet.ResNet18(n)),
        Rgb("resnet18", "ResNet-18 with BatchNorm, 224×224×3.", n => ResNet.ResNet18(n), Normalization.ImageNet),
        Rgb("resnet34", "ResNet-34 with BatchNorm, 224×224×3.", n => ResNet.ResNet34(n), Normalization.ImageNet),
        Rgb("resnet50", "ResNet-50 (bottleneck) with BatchNorm, 224×224×3.", n => ResNet.ResNet50(n), Normalization.ImageNet),
        Vit("vit-ti16", "ViT-Ti/16, 224×224×3.", VisionTransformer.Tiny16),
        Vit("vit-s16", "ViT-S/16, 224×224×3.", VisionTransformer.Small16),
        Vit("vit-b16", "ViT-B/16, 224×224×3 (google/vit-base-patch16-224).", VisionTransformer.Base16),
        Vit("vit-l16", "ViT-L/16, 224×224×3.", VisionTransformer.Large16),
    ]);

    private static ModelSpec Mnist(string name, string description, Func<int, Module> create) =>
        new(name, description, create, 28, 28, 1, Normalization.UnitRange);

    private static ModelSpec Rgb(string name, string description, Func<int, Module> create, Normalization normalization, int side = 224) =>
        new(name, description, create, side, side, 3, normalization);

    /// <summary>
    /// A ViT entry for <paramref name="side"/>×<paramref name="side"/>×3 images whose <c>--pretrained</c> file is a
    /// Hugging Face ViT (<c>.safetensors</c>, mapped to our names) or a Flax msgpack checkpoint (already in them). The
    /// file's classifier is replaced by a zero head for the data set's classes, as Flax fine-tuning does.
    /// </summary>
    internal static ModelSpec Vit(string name, string description, Func<int, VisionTransformer> create, int side = 224) =>
        Rgb(name, description, create, Normalization.SymmetricRange, side) with { LearningRate = 1e-3, ReadPretrained = ReadVit };

    private static ParamTree ReadVit(string path, Module model) =>
        Path.GetExtension(path).Equals(".safetensors", StringComparison.OrdinalIgnoreCase)
            ? VitImport.FromHuggingFace(path, (VisionTransformer)model, replaceHead: true)
            : VitImport.FromFlaxCheckpoint(path, (VisionTransformer)model, replaceHead: true);

    /// <summary>The known names, comma-separated.</summary>
    public string Names => string.Join(", ", Models.Select(m => m.Name));

    /// <summary>The model named <paramref name="name"/>.</summary>
    /// <exception cref="UserException">No such model (exit code 2); the message lists the known names.</exception>
    public ModelSpec Get(string name) =>
        Models.FirstOrDefault(m => m.Name == name)
        ?? throw new UserException($"Unknown model '{name}'. Known models: {(Models.Count == 0 ? "none" : Names)}.", UserException.Usage);
}
