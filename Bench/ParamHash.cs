using System.Security.Cryptography;
using System.Text;
using Linen.Functional;
using static TorchSharp.torch;

namespace Linen.Bench;

/// <summary>A SHA-256 over every leaf's path, dtype, shape and raw bytes, in the tree's traversal order.</summary>
internal static class ParamHash
{
    public static string Of(ParamTree tree)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var scope = NewDisposeScope();
        foreach (var (path, leaf) in tree.Flatten())
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{path}:{leaf.dtype}{Shapes.Format(leaf.shape)};"));
            hash.AppendData(leaf.contiguous().bytes);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
