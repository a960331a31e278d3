namespace Linen.Testing;

/// <summary>
/// A <see cref="LayerAssert"/> check failed. The message names the check, the module (type and
/// hyperparameters), the leaf path, the expected and actual shapes or values and, where the check drew
/// from a key, the key that reproduces it. Any test framework reports it as a failure.
/// </summary>
public sealed class LayerAssertionException : Exception
{
    /// <summary>Creates the failure with its full message.</summary>
    public LayerAssertionException(string message) : base(message) { }

    /// <summary>Creates the failure with its full message and the exception the module threw.</summary>
    public LayerAssertionException(string message, Exception inner) : base(message, inner) { }
}
