using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>
/// Process-wide engine settings: the device, the thread count, and the allocator tuning that every Linen
/// user gets for free on the first Init/Apply.
/// </summary>
public static partial class Engine
{
    private const int MallocTrimThreshold = -1;   // glibc M_TRIM_THRESHOLD
    private const int MallocMmapThreshold = -3;   // glibc M_MMAP_THRESHOLD
    private static int _started;

    /// <summary>
    /// The device named <paramref name="name"/>: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.
    /// </summary>
    /// <exception cref="LinenException">CUDA was asked for but is not available; the message says why and what to do.</exception>
    /// <exception cref="ArgumentException">An unknown device name.</exception>
    public static Device ResolveDevice(string name)
    {
        var lower = name.Trim().ToLowerInvariant();
        if (lower == "cpu") return CPU;
        if (lower != "cuda" && !lower.StartsWith("cuda:", StringComparison.Ordinal))
            throw new ArgumentException($"Unknown device '{name}': use cpu, cuda or cuda:N.", nameof(name));
        if (!cuda.is_available())
            throw new LinenException(
                $"Device '{name}' was requested, but CUDA is not available: this build uses the CPU LibTorch package " +
                "(build with -p:LinenDevice=cuda and a CUDA LibTorch package) or no GPU is visible.");
        return new Device(lower);
    }

    /// <summary>Sets LibTorch's intra-op thread count (results are bit-reproducible for a fixed count).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is below 1.</exception>
    public static void SetThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        set_num_threads(threads);
    }

    /// <summary>
    /// One-time start-up, run when Linen.Functional loads (so Linen's ops used alone get it too; a program calls this
    /// first to have it before anything else loads LibTorch). LibTorch's CPU allocator goes through glibc malloc,
    /// which by default returns large freed blocks to the OS and maps them again on the next step; the
    /// page faults that follow cost more than the arithmetic on small machines (a ReLU forward and backward at LeNet's
    /// first layer without the tuning: ~830 page faults and 1.4 ms a call; with it: 1 and 0.2 ms). Keeping freed memory in
    /// the process (a high trim threshold, a fixed mmap threshold) removes them.
    /// </summary>
    public static void EnsureStarted()
    {
        if (Interlocked.Exchange(ref _started, 1) == 1) return;
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("LINEN_NO_MALLOC_TUNING") == "1") return;
        try
        {
            Mallopt(MallocMmapThreshold, 32 << 20);
            Mallopt(MallocTrimThreshold, 1 << 30);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // Not glibc (musl): nothing to tune.
        }
    }

    /// <summary>
    /// How long an idle OpenMP worker spins before it sleeps (libgomp's <c>GOMP_SPINCOUNT</c>, in pause loops). A training
    /// step issues hundreds of parallel ops microseconds apart. Sleeping at once (<c>OMP_WAIT_POLICY=PASSIVE</c>) makes every
    /// one of them wake the worker through the kernel: MLP training at batch 128 ran 2.5–3× slower (2 cores, 120–160
    /// against 340–460 steps/s). libgomp's own default, 300,000, holds a core for milliseconds after the last op: beside
    /// two busy processes the same step fell to 40–63 steps/s. 10,000 bridges the gaps within a step and gives the core
    /// back quickly: as fast as the default alone, as fast as passive waiting beside the busy processes (105–135 steps/s
    /// against 109–122).
    /// </summary>
    internal const string OpenMpSpinCount = "10000";

    /// <summary>
    /// Runs when Linen.Functional is first touched, normally before LibTorch's OpenMP runtime loads (it reads its
    /// settings once, at load): tunes malloc (<see cref="EnsureStarted"/>) and sets <see cref="NativeDefaults"/> in the
    /// process environment.
    /// </summary>
#pragma warning disable CA2255 // The settings must be in place before the native runtime loads, whoever calls first.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void BeforeNativeLoad()
    {
        EnsureStarted();
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            foreach (var (name, value) in NativeDefaults(variable => Marshal.PtrToStringUTF8(GetEnv(variable))))
                SetEnv(name, value, overwrite: 0);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // No libc setenv: keep the runtime's defaults.
        }
    }

    /// <summary>
    /// The native runtime settings Linen chooses where the user (<paramref name="getEnv"/>) has chosen none:
    /// <list type="bullet">
    /// <item>OpenMP's wait: <see cref="OpenMpSpinCount"/>, unless <c>OMP_WAIT_POLICY</c> or <c>GOMP_SPINCOUNT</c> is set.</item>
    /// <item>MKL (inside LibTorch) picks kernels by the operands' memory alignment, and TorchSharp wraps .NET arrays at any
    /// 8-byte alignment, so equal inputs could differ in the last bit; strict conditional numerical reproducibility
    /// (<c>MKL_CBWR=AUTO,STRICT</c>) makes results independent of alignment.</item>
    /// </list>
    /// </summary>
    internal static IEnumerable<(string Name, string Value)> NativeDefaults(Func<string, string?> getEnv)
    {
        if (getEnv("OMP_WAIT_POLICY") is null && getEnv("GOMP_SPINCOUNT") is null) yield return ("GOMP_SPINCOUNT", OpenMpSpinCount);
        if (getEnv("MKL_CBWR") is null) yield return ("MKL_CBWR", "AUTO,STRICT");
    }

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetEnv(string name);

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int Mallopt(int param, int value);
}
