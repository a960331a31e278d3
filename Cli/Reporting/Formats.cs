using System.Globalization;
using static TorchSharp.torch;

namespace Linen.Cli.Reporting;

/// <summary>Numbers, shapes and sizes as Flax's <c>tabulate</c> prints them.</summary>
internal static class Formats
{
    /// <summary>An integer with thousands separators: <c>1,234,567</c>.</summary>
    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Bytes in powers of 1000 with one decimal (Flax's <c>_bytes_repr</c>): <c>912 B</c>, <c>1.2 KB</c>, <c>3.4 MB</c>.</summary>
    public static string Bytes(long n) => n switch
    {
        > 1_000_000_000 => $"{(n / 1e9).ToString("N1", CultureInfo.InvariantCulture)} GB",
        > 1_000_000 => $"{(n / 1e6).ToString("N1", CultureInfo.InvariantCulture)} MB",
        > 1_000 => $"{(n / 1e3).ToString("N1", CultureInfo.InvariantCulture)} KB",
        _ => $"{Count(n)} B",
    };

    /// <summary>A tensor's dtype and shape as NumPy names them: <c>float32[5,5,1,6]</c>.</summary>
    public static string DtypeShape(ScalarType dtype, long[] shape) => $"{DtypeName(dtype)}[{string.Join(',', shape)}]";

    /// <summary>A percentage with two decimals: <c>98.76 %</c>.</summary>
    public static string Percent(double fraction) => $"{(100 * fraction).ToString("F2", CultureInfo.InvariantCulture)} %";

    /// <summary>NumPy's name of a dtype.</summary>
    public static string DtypeName(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.Float64 => "float64",
        ScalarType.Float16 => "float16",
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Int64 => "int64",
        ScalarType.Int32 => "int32",
        ScalarType.Int16 => "int16",
        ScalarType.Int8 => "int8",
        ScalarType.Byte => "uint8",
        ScalarType.Bool => "bool",
        _ => dtype.ToString().ToLowerInvariant(),
    };
}
