using Linen.Functional;
using Linen.Models;
using Linen.Prng;
using Xunit;
using static TorchSharp.torch;

namespace Linen.Tests.Models;

/// <summary>Output shapes and parameter counts against the published architectures.</summary>
public class ModelShapeTests
{
    private static readonly PrngKey Key = PrngKey.FromSeed(0);

    [Fact]
    public void MlpHasTheTutorialsShape()
    {
        using var _ = NewDisposeScope();
        var x = zeros(3, 28, 28, 1);
        var (y, variables) = new Mlp().InitWithOutput(Key, x);
        Assert.Equal(new long[] { 3, 10 }, y.shape);
        // 784·300+300 = 235,500; 300·300+300 = 90,300; 300·10+10 = 3,010
        Assert.Equal(328_810, variables.Params.ParameterCount);
        Assert.Equal(["Dense_0", "Dense_1", "Dense_2"], variables.Params.Keys);
    }

    [Fact]
    public void LeNetFlattensTo256Features()
    {
        using var _ = NewDisposeScope();
        var (y, variables) = new LeNet().InitWithOutput(Key, zeros(2, 28, 28, 1));
        Assert.Equal(new long[] { 2, 10 }, y.shape);
        Assert.Equal(new long[] { 256, 120 }, variables.Params["Dense_0/kernel"].shape);
        Assert.Equal(new long[] { 5, 5, 6, 16 }, variables.Params["Conv_1/kernel"].shape);
        // conv 156 + conv 2,416 + dense 30,840 + 10,164 + 850
        Assert.Equal(44_426, variables.Params.ParameterCount);
    }

    [Fact]
    public void VitBase16MatchesTheTutorialAndPublishedSize()
    {
        using var _ = NewDisposeScope();
        var model = VisionTransformer.Base16();
        var (y, variables) = model.InitWithOutput(Key, zeros(4, 224, 224, 3));
        Assert.Equal(new long[] { 4, 1000 }, y.shape);
        // ViT-B/16 with a 1000-class head: 86,567,656 parameters (Dosovitskiy et al. 2020; timm's count).
        Assert.Equal(86_567_656, variables.Params.ParameterCount);
        Assert.Equal(new long[] { 1, 197, 768 }, variables.Params["Transformer/posembed_input/pos_embedding"].shape);
        Assert.Equal(new long[] { 768, 12, 64 }, variables.Params["Transformer/encoderblock_11/MultiHeadDotProductAttention_1/query/kernel"].shape);
        Assert.Equal(new long[] { 12, 64, 768 }, variables.Params["Transformer/encoderblock_0/MultiHeadDotProductAttention_1/out/kernel"].shape);
    }

    [Fact]
    public void VitMnistRunsOn28By28()
    {
        using var _ = NewDisposeScope();
        var model = VisionTransformer.Mnist();
        var (y, variables) = model.InitWithOutput(Key, zeros(2, 28, 28, 1));
        Assert.Equal(new long[] { 2, 10 }, y.shape);
        Assert.Equal(new long[] { 1, 50, 64 }, variables.Params["Transformer/posembed_input/pos_embedding"].shape);
        var e = Assert.Throws<InputShapeException>(() => model.Apply(variables, zeros(2, 30, 30, 1)));
        Assert.Equal("VisionTransformer at '/': expected NHWC input whose height and width are multiples of the patch size 4, got shape (2, 30, 30, 1).", e.Message);
    }

    [Fact]
    public void ResNet18HasThePublishedSizeAndBatchStats()
    {
        using var _ = NewDisposeScope();
        var variables = ResNet.ResNet18().Init(Key, zeros(1, 32, 32, 3));
        // torchvision's resnet18: 11,689,512 parameters (convs without bias, BN scale+bias, dense head).
        Assert.Equal(11_689_512, variables.Params.ParameterCount);
        Assert.True(variables["batch_stats"].Contains("bn_init/mean"));
        Assert.True(variables.Params.Contains("ResNetBlock_2/conv_proj/kernel"));
        Assert.False(variables.Params.Contains("ResNetBlock_1/conv_proj"));
    }

    [Fact]
    public void ResNet50HasThePublishedSize()
    {
        using var _ = NewDisposeScope();
        var variables = ResNet.ResNet50().Init(Key, zeros(1, 32, 32, 3));
        // torchvision's resnet50: 25,557,032 parameters.
        Assert.Equal(25_557_032, variables.Params.ParameterCount);
        Assert.True(variables.Params.Contains("BottleneckResNetBlock_0/conv_proj/kernel"));
    }

    [Fact]
    public void ResNetTrainingUpdatesBatchStatsOnly()
    {
        using var _ = NewDisposeScope();
        var model = ResNet.ResNet18(classes: 10) with { NumFilters = 8 };
        var x = randn(4, 28, 28, 1, generator: new TorchSharp.torch.Generator(0));
        var variables = model.Init(Key, x);
        var (y, mutated) = model.Apply(variables, x, mutable: "batch_stats", train: true);
        Assert.Equal(new long[] { 4, 10 }, y.shape);
        Assert.Equal(["batch_stats"], mutated.Collections);
        var before = variables["batch_stats"]["bn_init/mean"];
        var after = mutated["batch_stats"]["bn_init/mean"];
        Assert.False(before.equal(after).all().item<bool>());
        Assert.True(before.Eq(0).all().item<bool>());
    }
}
