using System.Buffers.Binary;
using System.Security.Cryptography;
using Linen.Prng;

namespace Linen.Functional;

/// <summary>
/// How Flax Linen derives a module's keys (<c>flax/core/scope.py</c>, <c>_fold_in_static</c>): the n-th key a
/// module at path p1/…/pk draws from a stream is <c>fold_in(root, h)</c>, where h is the first four bytes
/// (big-endian) of SHA-1 over the path names (UTF-8) and n (big-endian, minimal length, so 0 is no bytes),
/// optionally each preceded by a zero byte. Exactly one fold-in, whatever the depth.
/// </summary>
public static class KeyDerivation
{
    /// <summary>The key the <paramref name="count"/>-th draw (counting from 1) of a module at <paramref name="path"/> gets.</summary>
    public static PrngKey Derive(PrngKey root, IReadOnlyList<string> path, int count, bool fixSeparator = false) =>
        root.FoldIn(Hash(path, count, fixSeparator));

    /// <summary>The 32-bit hash Flax folds into the root key for this path and count.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public static uint Hash(IReadOnlyList<string> path, int count, bool fixSeparator = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        ReadOnlySpan<byte> separator = [0];
        foreach (var name in path)
        {
            if (fixSeparator) sha.AppendData(separator);
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(name));
        }
        if (fixSeparator) sha.AppendData(separator);
        Span<byte> be = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(be, (uint)count);
        int skip = 0;
        while (skip < 4 && be[skip] == 0) skip++;
        sha.AppendData(be[skip..]);
        Span<byte> digest = stackalloc byte[20];
        sha.GetHashAndReset(digest);
        return BinaryPrimitives.ReadUInt32BigEndian(digest);
    }
}
