using Linen.Cli.Data;
using Xunit;

namespace Linen.Tests.Cli;

public sealed class RealMnistTests
{
    [Fact]
    public void LoadsThePublishedSplitsOrSaysWhyNot()
    {
        if (RealMnist.Directory is not { } dir)
        {
            Assert.StartsWith("Cannot fetch MNIST: ", RealMnist.Failure);
            return;
        }

        var train = Mnist.LoadTrain(dir);
        var test = Mnist.LoadTest(dir);

        Assert.Equal((60_000, 28, 28, 1), (train.Count, train.Height, train.Width, train.Channels));
        Assert.Equal(10_000, test.Count);
        // The first training labels, as every MNIST reader prints them: 5 0 4 1 9 2 1 3 1 4.
        Assert.Equal([5, 0, 4, 1, 9, 2, 1, 3, 1, 4], train.Labels[..10]);
        Assert.Equal(7, test.Labels[0]);
    }
}
