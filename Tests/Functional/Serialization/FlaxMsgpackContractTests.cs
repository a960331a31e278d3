using Linen.Functional;

namespace Linen.Tests.Functional;

/// <summary>The contract for Flax's msgpack format.</summary>
public sealed class FlaxMsgpackContractTests : TreeFormatContract
{
    internal override IReadOnlyList<StorageDtype> Dtypes => StorageDtype.All;

    protected override bool KeepsEmptySubtrees => true;

    protected override byte[] Save(ParamTree tree) => FlaxMsgpack.ToBytes(tree);

    protected override ParamTree Load(byte[] data) => FlaxMsgpack.Restore(data);
}
