namespace Linen.Cli.Training;

/// <summary>The models known by name, in the order the help lists them.</summary>
/// <param name="Models">The entries.</param>
internal sealed record ModelRegistry(IReadOnlyList<ModelSpec> Models)
{
    /// <summary>The models of <c>Linen.Models</c>.</summary>
    public static readonly ModelRegistry Default = new([]);

    /// <summary>The known names, comma-separated.</summary>
    public string Names => string.Join(", ", Models.Select(m => m.Name));

    /// <summary>The model named <paramref name="name"/>.</summary>
    /// <exception cref="UserException">No such model (exit code 2); the message lists the known names.</exception>
    public ModelSpec Get(string name) =>
        Models.FirstOrDefault(m => m.Name == name)
        ?? throw new UserException($"Unknown model '{name}'. Known models: {(Models.Count == 0 ? "none" : Names)}.", UserException.Usage);
}
