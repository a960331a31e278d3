using Linen.Cli.Training;
using Linen.Prng;
using Xunit;
using static TorchSharp.torch;

namespace Linen.Tests.Cli;

public sealed class ModelRegistryTests
{
    [Theory]
    [InlineData("mlp", 328_810)]        // 784·300+300 + 300·300+300 + 300·10+10
    [InlineData("lenet", 44_426)]       // 5·5·1·6+6 + 5·5·6·16+16 + 256·120+120 + 120·84+84 + 84·10+10
    // embedding 4·4·1·64+64, cls 64, positions 50·64, 4 × (2 LayerNorms 2·128, q/k/v/out 4·(64·64+64), MLP 64·128+128 + 128·64+64), norm 128, head 64·10+10
    [InlineData("vit-mnist", 139_018)]
    // torchvision's ResNet-18 (11,689,512) with a 1-channel stem (−7·7·2·64) and 10 classes (−512·990−990)
    [InlineData("resnet18-mnist", 11_175_370)]
    public void MnistModelsMapABatchToTenLogits(string name, long parameters)
    {
        using var scope = NewDisposeScope();
        var spec = ModelRegistry.Default.Get(name);
        var model = spec.Create(10);

        var (output, variables) = model.InitWithOutput(PrngKey.FromSeed(0), zeros(spec.InputShape(2)));

        Assert.Equal([2L, 10], output.shape);
        Assert.Equal(parameters, variables.Params.ParameterCount);
    }

    [Fact]
    public void UnknownNameListsEveryModel()
    {
        var e = Assert.Throws<Linen.Cli.UserException>(() => ModelRegistry.Default.Get("lenet-6"));

        Assert.Equal(
            "Unknown model 'lenet-6'. Known models: mlp, lenet, vit-mnist, resnet18-mnist, resnet18, resnet34, resnet50, vit-ti16, vit-s16, vit-b16, vit-l16.",
            e.Message);
        Assert.Equal(2, e.ExitCode);
    }
}
