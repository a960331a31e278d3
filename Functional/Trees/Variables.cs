using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>
/// A model's variables: collections by name (<c>params</c>, <c>batch_stats</c>, any user collection),
/// each a <see cref="ParamTree"/> whose paths follow the module paths. Immutable.
/// </summary>
public sealed class Variables : ITensorContainer
{
    /// <summary>The name of the trainable-parameter collection.</summary>
    public const string ParamsCollection = "params";

    /// <summary>No collections.</summary>
    public static readonly Variables Empty = new(ParamTree.Empty);

    /// <summary>Wraps a tree whose top-level keys are collection names.</summary>
    public Variables(ParamTree collections) => Tree = collections;

    /// <summary>The whole tree, collections at the top.</summary>
    public ParamTree Tree { get; }

    /// <summary>The collection names present.</summary>
    public IEnumerable<string> Collections => Tree.Keys;

    /// <summary>The <c>params</c> collection (empty when there is none).</summary>
    public ParamTree Params => this[ParamsCollection];

    /// <summary>A collection by name (empty when absent).</summary>
    public ParamTree this[string collection] => Tree.TryGetSubtree(collection, out var t) ? t : ParamTree.Empty;

    /// <summary>Whether the collection is present.</summary>
    public bool Has(string collection) => Tree.Contains(collection);

    /// <summary>These variables with one collection replaced (or added).</summary>
    public Variables SetCollection(string collection, ParamTree tree)
    {
        var updated = Tree.SetItem(collection, tree);
        return ReferenceEquals(updated, Tree) ? this : new Variables(updated);
    }

    /// <summary>These variables with the <c>params</c> collection replaced.</summary>
    public Variables WithParams(ParamTree parameters) => SetCollection(ParamsCollection, parameters);

    /// <summary>These variables with every collection of <paramref name="updates"/> replacing its namesake.</summary>
    public Variables Merge(Variables updates) =>
        updates.Collections.Aggregate(this, (v, c) => v.SetCollection(c, updates[c]));

    /// <summary>Variables holding only a <c>params</c> collection.</summary>
    public static Variables FromParams(ParamTree parameters) => Empty.WithParams(parameters);

    /// <inheritdoc />
    public IEnumerable<Tensor> Tensors => Tree.Leaves;

    /// <inheritdoc />
    public override string ToString() => Tree.ToString();
}
