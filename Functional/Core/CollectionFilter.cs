namespace Linen.Functional;

/// <summary>
/// Which collections a call may modify (Flax's <c>mutable</c> argument): none, all, a list, or all but a
/// list (<c>DenyList</c>). A string or a string array converts implicitly.
/// </summary>
public sealed record CollectionFilter
{
    private readonly bool _deny;
    private readonly string[] _names;

    private CollectionFilter(bool deny, string[] names) { _deny = deny; _names = names; }

    /// <summary>No collection is mutable.</summary>
    public static readonly CollectionFilter None = new(false, []);

    /// <summary>Every collection is mutable.</summary>
    public static readonly CollectionFilter All = new(true, []);

    /// <summary>Exactly the named collections are mutable.</summary>
    public static CollectionFilter Only(params string[] names) => new(false, names);

    /// <summary>Every collection but the named ones is mutable.</summary>
    public static CollectionFilter AllBut(params string[] names) => new(true, names);

    /// <summary>Whether <paramref name="collection"/> passes the filter.</summary>
    public bool Includes(string collection) => _deny != _names.Contains(collection);

    /// <summary>Whether no collection passes.</summary>
    public bool IsNone => !_deny && _names.Length == 0;

    /// <summary>One mutable collection.</summary>
    public static implicit operator CollectionFilter(string name) => Only(name);

    /// <summary>The listed collections are mutable.</summary>
    public static implicit operator CollectionFilter(string[] names) => Only(names);

    /// <inheritdoc />
    public override string ToString() => (_deny, _names.Length) switch
    {
        (true, 0) => "all",
        (false, 0) => "none",
        (true, _) => "all but " + string.Join(", ", _names),
        _ => string.Join(", ", _names),
    };
}
