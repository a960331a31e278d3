using System.Runtime.InteropServices;
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

    [Fact]
    public void NativeDefaultsSpinBrieflyAndMakeMklStrict()
    {
        var settings = Engine.NativeDefaults(_ => null).ToArray();
        Assert.Equal([("GOMP_SPINCOUNT", "10000"), ("MKL_CBWR", "AUTO,STRICT")], settings);
    }

    [Theory]
    [InlineData("OMP_WAIT_POLICY", "MKL_CBWR")]
    [InlineData("GOMP_SPINCOUNT", "MKL_CBWR")]
    [InlineData("MKL_CBWR", "GOMP_SPINCOUNT")]
    public void NativeDefaultsLeaveWhatTheUserSet(string userSet, string stillDefaulted)
    {
        var settings = Engine.NativeDefaults(name => name == userSet ? "user" : null).Select(s => s.Name);
        Assert.Equal([stillDefaulted], settings);
    }

    [Fact]
    public void TheModuleInitializerPutsTheSpinCountInTheProcessEnvironment()
    {
        // The test process's own environment decides what the initializer had to leave alone.
        var chosen = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") ?? Environment.GetEnvironmentVariable("GOMP_SPINCOUNT");
        var expected = chosen is null ? Engine.OpenMpSpinCount : Environment.GetEnvironmentVariable("GOMP_SPINCOUNT");
        Assert.Equal(expected, Marshal.PtrToStringUTF8(GetEnv("GOMP_SPINCOUNT")));
    }

    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr GetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);
}
