using Linen.Functional;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Linen.Tests.Functional;

public class EngineTests
{
    [Fact]
    public void CpuResolves() => Assert.Equal(DeviceType.CPU, Engine.ResolveDevice(" CPU ").type);

    [Fact]
    public void CudaResolvesOnlyWhereAvailable()
    {
        if (cuda.is_available())
        {
            Assert.Equal(DeviceType.CUDA, Engine.ResolveDevice("cuda").type);
            return;
        }
        var e = Assert.Throws<LinenException>(() => Engine.ResolveDevice("cuda"));
        Assert.StartsWith("Device 'cuda' was requested, but CUDA is not available", e.Message);
    }

    [Fact]
    public void UnknownDeviceNamesTheValue()
    {
        var e = Assert.Throws<ArgumentException>(() => Engine.ResolveDevice("tpu"));
        Assert.StartsWith("Unknown device 'tpu': use cpu, cuda or cuda:N.", e.Message);
    }
}
