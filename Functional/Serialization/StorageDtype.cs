using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>
/// One element type as the file formats name it: NumPy's <c>dtype.name</c> (what Flax's msgpack stores) and the
/// safetensors code. <see cref="SafetensorsRank"/> is the position in safetensors' <c>Dtype</c> enum, which orders
/// tensors in a file (descending). Element bytes are little-endian and row-major in both formats.
/// </summary>
internal sealed record StorageDtype(ScalarType ScalarType, string NumpyName, string? SafetensorsName, int SafetensorsRank, int ItemSize)
{
    /// <summary>The types both formats and TorchSharp share. TorchSharp has no uint16/32/64 and safetensors no complex128.</summary>
    public static readonly IReadOnlyList<StorageDtype> All =
    [
        new(ScalarType.Bool, "bool", "BOOL", 0, 1),
        new(ScalarType.Byte, "uint8", "U8", 4, 1),
        new(ScalarType.Int8, "int8", "I8", 5, 1),
        new(ScalarType.Int16, "int16", "I16", 11, 2),
        new(ScalarType.Float16, "float16", "F16", 13, 2),
        new(ScalarType.BFloat16, "bfloat16", "BF16", 14, 2),
        new(ScalarType.Int32, "int32", "I32", 15, 4),
        new(ScalarType.Float32, "float32", "F32", 17, 4),
        new(ScalarType.ComplexFloat32, "complex64", "C64", 18, 8),
        new(ScalarType.Float64, "float64", "F64", 19, 8),
        new(ScalarType.Int64, "int64", "I64", 20, 8),
        new(ScalarType.ComplexFloat64, "complex128", null, -1, 16),
    ];

    /// <summary>The entry for a tensor's element type, or null when no file format here stores it.</summary>
    public static StorageDtype? ForScalarType(ScalarType type) => All.FirstOrDefault(d => d.ScalarType == type);

    /// <summary>The entry for a NumPy dtype name, or null.</summary>
    public static StorageDtype? ForNumpyName(string name) => All.FirstOrDefault(d => d.NumpyName == name);

    /// <summary>The entry for a safetensors dtype code, or null.</summary>
    public static StorageDtype? ForSafetensorsName(string name) => All.FirstOrDefault(d => d.SafetensorsName == name);

    /// <summary>The NumPy names, for error messages.</summary>
    public static string NumpyNames => string.Join(", ", All.Select(d => d.NumpyName));

    /// <summary>The safetensors codes, for error messages.</summary>
    public static string SafetensorsNames => string.Join(", ", All.Where(d => d.SafetensorsName is not null).Select(d => d.SafetensorsName));
}
