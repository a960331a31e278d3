using System.Collections.Concurrent;
using Linen.Functional;
using Xunit;
using static TorchSharp.torch;

namespace Linen.Tests.Functional;

public class OpenMpTeamTests
{
    [Fact]
    public void LibTorchsOpenMpRuntimeIsFoundOnLinux() => Assert.Equal(OperatingSystem.IsLinux(), OpenMpTeam.Available);

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(63, 1)]
    [InlineData(65, 1)]
    [InlineData(100_000, 1)]
    [InlineData(100_000, 1 << 15)]
    [InlineData(100_000, 1 << 20)]
    [InlineData(1 << 20, 1 << 15)]
    public void ChunksCoverEveryElementOnce(long count, long grain)
    {
        var chunks = new ConcurrentBag<(long Start, long End)>();
        OpenMpTeam.For(count, grain, (start, end) => chunks.Add((start, end)));
        var ordered = chunks.OrderBy(c => c.Start).ToList();
        Assert.All(ordered, c => Assert.True(c.Start < c.End, $"empty chunk [{c.Start}, {c.End})"));
        Assert.Equal(count, ordered.Sum(c => c.End - c.Start));
        for (var i = 1; i < ordered.Count; i++) Assert.Equal(ordered[i - 1].End, ordered[i].Start);
        if (count > 0) Assert.Equal((0L, count), (ordered[0].Start, ordered[^1].End));
    }

    [Fact]
    public void LargeLoopsRunOnAsManyThreadsAsLibTorchUses()
    {
        var threads = new ConcurrentDictionary<int, long>();
        OpenMpTeam.For(1 << 20, 1 << 10, (start, end) => threads[Environment.CurrentManagedThreadId] = end - start);
        var expected = OpenMpTeam.Available ? Math.Min(get_num_threads(), 1 << 10) : 1;
        Assert.Equal(expected, threads.Count);
    }

    [Fact]
    public void LoopsBelowTwoGrainsStayOnTheCallingThread()
    {
        var threads = new ConcurrentBag<int>();
        OpenMpTeam.For(1000, 600, (_, _) => threads.Add(Environment.CurrentManagedThreadId));
        Assert.Equal([Environment.CurrentManagedThreadId], threads);
    }

    [Theory]
    [InlineData(1000, 2)]
    [InlineData(1000, 3)]
    [InlineData(100, 4)]
    [InlineData(10, 2)]
    public void ChunkEndsAreAlignedAndOrdered(long count, int threads)
    {
        var chunks = Enumerable.Range(0, threads).Select(t => OpenMpTeam.Chunk(count, t, threads)).ToList();
        Assert.Equal(0, chunks[0].Start);
        Assert.Equal(count, chunks[^1].End);
        for (var t = 0; t < threads; t++)
        {
            Assert.True(chunks[t].Start <= chunks[t].End);
            if (t > 0) Assert.Equal(chunks[t - 1].End, chunks[t].Start);
            if (t < threads - 1) Assert.True(chunks[t].End % 64 == 0 || chunks[t].End == count, $"chunk {t} ends at {chunks[t].End}");
        }
    }

    [Fact]
    public void AnExceptionInAChunkReachesTheCaller()
    {
        var e = Assert.Throws<InvalidOperationException>(() => OpenMpTeam.For(1 << 20, 1 << 10, (_, end) =>
        {
            if (end == 1 << 20) throw new InvalidOperationException("the last chunk failed");
        }));
        Assert.Equal("the last chunk failed", e.Message);
    }
}
