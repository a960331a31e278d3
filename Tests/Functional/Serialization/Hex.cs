namespace Linen.Tests.Functional;

/// <summary>Bytes written as hexadecimal pieces, so golden data can be laid out with a comment per field.</summary>
internal static class Hex
{
    public static byte[] Bytes(params string[] pieces) => Convert.FromHexString(string.Concat(pieces).Replace(" ", ""));
}
