using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>
/// Runs managed loops on LibTorch's own OpenMP threads. After each parallel LibTorch op its OpenMP workers spin
/// (<see cref="Engine.OpenMpSpinCount"/>) waiting for the next one, so a .NET thread-pool thread started then would
/// share a core with a spinning worker, while a parallel region opened through the same OpenMP runtime
/// (<c>GOMP_parallel</c>) hands the work to that worker at once. Where LibTorch's libgomp is not found (another
/// platform or OpenMP runtime), the loops run on the calling thread.
/// </summary>
internal static unsafe class OpenMpTeam
{
    /// <summary>Chunk boundaries are multiples of this many elements: whole cache lines for any element type, so no two threads write one line.</summary>
    private const long Alignment = 64;

    private static readonly delegate* unmanaged<delegate* unmanaged<void*, void>, void*, uint, uint, void> StartRegion;
    private static readonly delegate* unmanaged<int> ThreadNumber;
    private static readonly delegate* unmanaged<int> ThreadCount;

    /// <summary>The body of a loop: elements <c>[start, end)</c>.</summary>
    public delegate void RangeBody(long start, long end);

    static OpenMpTeam()
    {
        if (LibTorchOpenMp() is not { } path || !NativeLibrary.TryLoad(path, out var library)) return;
        if (NativeLibrary.TryGetExport(library, "GOMP_parallel", out var start)
            && NativeLibrary.TryGetExport(library, "omp_get_thread_num", out var number)
            && NativeLibrary.TryGetExport(library, "omp_get_num_threads", out var count))
        {
            StartRegion = (delegate* unmanaged<delegate* unmanaged<void*, void>, void*, uint, uint, void>)start;
            ThreadNumber = (delegate* unmanaged<int>)number;
            ThreadCount = (delegate* unmanaged<int>)count;
        }
    }

    /// <summary>Whether loops can run on LibTorch's OpenMP threads in this process.</summary>
    public static bool Available => StartRegion != null;

    /// <summary>
    /// Calls <paramref name="body"/> on contiguous chunks that cover <c>[0, count)</c> once each: one chunk per
    /// LibTorch thread (<c>torch.get_num_threads()</c>), at most one per <paramref name="grain"/> elements, the calling
    /// thread taking one. The first exception of any chunk is rethrown here after all chunks have ended.
    /// </summary>
    public static void For(long count, long grain, RangeBody body)
    {
        // Most leaves of a model are below two grains: they skip the native thread-count query.
        var grains = count / Math.Max(grain, 1);
        var chunks = grains > 1 && Available ? Math.Min(get_num_threads(), grains) : 1;
        if (chunks <= 1)
        {
            if (count > 0) body(0, count);
            return;
        }
        var loop = new Loop(body, count);
        var handle = GCHandle.Alloc(loop);
        try
        {
            StartRegion(&RunChunk, (void*)GCHandle.ToIntPtr(handle), (uint)chunks, 0);
        }
        finally
        {
            handle.Free();
        }
        if (loop.Error is { } error) ExceptionDispatchInfo.Capture(error).Throw();
    }

    /// <summary>The chunk of <paramref name="thread"/> of <paramref name="threads"/>, its ends on <see cref="Alignment"/>.</summary>
    internal static (long Start, long End) Chunk(long count, int thread, int threads)
    {
        long Boundary(int t) => t == threads ? count : Math.Min(count, count * t / threads / Alignment * Alignment);
        return (Boundary(thread), Boundary(thread + 1));
    }

    [UnmanagedCallersOnly]
    private static void RunChunk(void* state)
    {
        var loop = (Loop)GCHandle.FromIntPtr((nint)state).Target!;
        try
        {
            var (start, end) = Chunk(loop.Count, ThreadNumber(), ThreadCount());
            if (start < end) loop.Body(start, end);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref loop.Error, e, null);
        }
    }

    /// <summary>The libgomp that LibTorch's CPU library was linked with, among the libraries mapped into this process.</summary>
    private static string? LibTorchOpenMp()
    {
        if (!OperatingSystem.IsLinux()) return null;
        get_num_threads(); // loads LibTorch, and with it its OpenMP runtime
        var mapped = File.ReadLines("/proc/self/maps").Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6 && fields[5].StartsWith('/')).Select(fields => fields[5]).Distinct().ToList();
        var torchFolder = mapped.Where(path => Path.GetFileName(path) == "libtorch_cpu.so").Select(Path.GetDirectoryName).FirstOrDefault();
        var openMps = mapped.Where(path => Path.GetFileName(path).StartsWith("libgomp", StringComparison.Ordinal)).ToList();
        return openMps.FirstOrDefault(path => Path.GetDirectoryName(path) == torchFolder) ?? openMps.FirstOrDefault();
    }

    private sealed class Loop(RangeBody body, long count)
    {
        public readonly RangeBody Body = body;
        public readonly long Count = count;
        public Exception? Error;
    }
}
