namespace Linen.Functional;

/// <summary>One tensor of a safetensors header: its name, dtype, shape and byte range within the data section.</summary>
internal sealed record SafetensorsEntry(string Name, StorageDtype Dtype, long[] Shape, long Begin, long End);
