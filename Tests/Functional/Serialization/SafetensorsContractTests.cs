using Linen.Functional;

namespace Linen.Tests.Functional;

/// <summary>The contract for safetensors.</summary>
public sealed class SafetensorsContractTests : TreeFormatContract
{
    internal override IReadOnlyList<StorageDtype> Dtypes => StorageDtype.All.Where(d => d.SafetensorsName is not null).ToList();

    protected override bool KeepsEmptySubtrees => false;

    protected override byte[] Save(ParamTree tree)
    {
        using var stream = new MemoryStream();
        Safetensors.Write(stream, tree, metadata: null);
        return stream.ToArray();
    }

    protected override ParamTree Load(byte[] data) => Safetensors.Read(new MemoryStream(data), "the test data", name => name);
}
