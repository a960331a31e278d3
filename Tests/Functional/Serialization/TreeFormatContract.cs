using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Linen.Functional;
using Xunit;
using static TorchSharp.torch;

namespace Linen.Tests.Functional;

/// <summary>
/// What every tree file format guarantees: random trees (any nesting, scalars, zero-size dimensions, every supported
/// dtype) come back bit for bit; every truncation and every corrupted byte is reported as a
/// <see cref="CheckpointException"/>, never another exception and never a crash.
/// </summary>
public abstract class TreeFormatContract
{
    /// <summary>The dtypes the format stores.</summary>
    internal abstract IReadOnlyList<StorageDtype> Dtypes { get; }

    /// <summary>Whether empty subtrees survive a round trip (msgpack maps do; safetensors names only leaves).</summary>
    protected abstract bool KeepsEmptySubtrees { get; }

    /// <summary>The encoded bytes of a tree.</summary>
    protected abstract byte[] Save(ParamTree tree);

    /// <summary>The tree decoded from bytes.</summary>
    protected abstract ParamTree Load(byte[] data);

    private Arbitrary<NodeSpec> Trees => Arb.From(TreeSpec.Trees(Dtypes));

    [Property(MaxTest = 200)]
    public Property RoundTripKeepsEveryLeafBitForBit() => Prop.ForAll(Trees, spec =>
    {
        using var scope = NewDisposeScope();
        var tree = spec.Build();
        var restored = Load(Save(tree));
        if (KeepsEmptySubtrees) TreeAssert.SameTree(tree, restored);
        else TreeAssert.SameLeaves(tree, restored);
    });

    [Property(MaxTest = 15)]
    public Property EveryTruncationIsACheckpointException() => Prop.ForAll(Trees, spec =>
    {
        using var scope = NewDisposeScope();
        var data = Save(spec.Build());
        for (var cut = 0; cut < data.Length; cut++)
            Assert.Throws<CheckpointException>(() => Load(data[..cut]));
    });

    [Property(MaxTest = 15)]
    public Property EveryCorruptedByteLoadsOrIsACheckpointException() => Prop.ForAll(Trees, spec =>
    {
        using var scope = NewDisposeScope();
        var data = Save(spec.Build());
        for (var position = 0; position < data.Length; position++)
        {
            foreach (var value in new byte[] { 0x00, 0xff, 0xc1, (byte)(data[position] ^ 0x80), (byte)(data[position] + 1) })
            {
                var corrupted = (byte[])data.Clone();
                corrupted[position] = value;
                using var inner = NewDisposeScope();
                try { Load(corrupted); }
                catch (CheckpointException) { }
            }
        }
    });

    [Fact]
    public void EmptyTreeRoundTrips()
    {
        Assert.True(Load(Save(ParamTree.Empty)).IsEmpty);
    }

    [Fact]
    public void EmptyDataIsACheckpointException()
    {
        Assert.Throws<CheckpointException>(() => Load([]));
    }
}
