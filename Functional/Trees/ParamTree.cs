using System.Collections;
using System.Collections.Immutable;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>
/// An immutable nested map from string keys to subtrees or tensor leaves: Flax's variable dicts.
/// Keys are kept in ordinal order (as <c>jax.tree_util</c> flattens dicts), so every traversal is
/// deterministic. Paths join keys with <c>/</c>: <c>tree["params/Dense_0/kernel"]</c>.
/// Updates return new trees and share unchanged branches; a no-op update returns the same instance.
/// Leaves are never modified by the framework.
/// </summary>
public sealed class ParamTree : IEnumerable<KeyValuePair<string, object>>, ITensorContainer
{
    // Leaves compare by reference: TorchSharp's Tensor.Equals compares values (across dtypes), which would make
    // SetItem of an equal-valued tensor of another dtype a silent no-op. Declared before Empty, which uses it.
    private static readonly IEqualityComparer<object> LeafIdentity = ReferenceEqualityComparer.Instance;

    private readonly ImmutableSortedDictionary<string, object> _children;

    /// <summary>The tree with no entries.</summary>
    public static readonly ParamTree Empty = new(ImmutableSortedDictionary.Create<string, object>(StringComparer.Ordinal, LeafIdentity));

    private ParamTree(ImmutableSortedDictionary<string, object> children) => _children = children;

    /// <summary>The direct children's keys, in ordinal order.</summary>
    public IEnumerable<string> Keys => _children.Keys;

    /// <summary>Whether the tree has no entries.</summary>
    public bool IsEmpty => _children.IsEmpty;

    /// <summary>The leaf at <paramref name="path"/>.</summary>
    /// <exception cref="KeyNotFoundException">No leaf there; the message names the path and the keys that exist.</exception>
    public Tensor this[string path] => Find(path) switch
    {
        Tensor t => t,
        ParamTree => throw new KeyNotFoundException($"'{path}' is a subtree, not a leaf; use Subtree(\"{path}\")."),
        _ => throw NotFound(path),
    };

    /// <summary>The subtree at <paramref name="path"/>.</summary>
    /// <exception cref="KeyNotFoundException">No subtree there.</exception>
    public ParamTree Subtree(string path) => Find(path) switch
    {
        ParamTree t => t,
        Tensor => throw new KeyNotFoundException($"'{path}' is a leaf, not a subtree."),
        _ => throw NotFound(path),
    };

    /// <summary>Whether a leaf or subtree exists at <paramref name="path"/>.</summary>
    public bool Contains(string path) => Find(path) is not null;

    /// <summary>The leaf at <paramref name="path"/>, if there is one.</summary>
    public bool TryGetLeaf(string path, out Tensor leaf)
    {
        leaf = Find(path) as Tensor ?? null!;
        return leaf is not null;
    }

    /// <summary>The subtree at <paramref name="path"/>, if there is one.</summary>
    public bool TryGetSubtree(string path, out ParamTree subtree)
    {
        subtree = Find(path) as ParamTree ?? null!;
        return subtree is not null;
    }

    /// <summary>Sets a leaf, creating intermediate subtrees along the path.</summary>
    public ParamTree SetItem(string path, Tensor leaf) => Set(SplitPath(path), 0, leaf);

    /// <summary>Sets a subtree, creating intermediate subtrees along the path.</summary>
    public ParamTree SetItem(string path, ParamTree subtree) => Set(SplitPath(path), 0, subtree);

    /// <summary>Removes the entry at <paramref name="path"/>; returns this tree when there is none.</summary>
    public ParamTree Remove(string path) => Remove(SplitPath(path), 0);

    /// <summary>A builder that collects leaves by path and makes one tree.</summary>
    public static Builder CreateBuilder() => new();

    /// <summary>Every leaf with its path, in traversal order.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> Flatten()
    {
        var result = new List<KeyValuePair<string, Tensor>>();
        Walk("", (path, t) => result.Add(new(path, t)));
        return result;
    }

    /// <summary>The tree with the given leaves at the given paths.</summary>
    public static ParamTree Unflatten(IEnumerable<KeyValuePair<string, Tensor>> leaves)
    {
        var builder = CreateBuilder();
        foreach (var (path, t) in leaves) builder.Add(path, t);
        return builder.ToImmutable();
    }

    /// <summary>The leaves in traversal order.</summary>
    public IEnumerable<Tensor> Leaves
    {
        get
        {
            // Without Flatten's path strings: every step lists the leaves of params, grads and moments several times.
            var result = new List<Tensor>();
            CollectLeaves(result);
            return result;
        }
    }

    /// <summary>The leaf paths in traversal order.</summary>
    public IEnumerable<string> Paths => Flatten().Select(kv => kv.Key);

    /// <summary>The number of leaves.</summary>
    public int LeafCount => _children.Values.Sum(v => v is ParamTree sub ? sub.LeafCount : 1);

    /// <summary>The number of scalar parameters: the sum of the leaves' element counts.</summary>
    public long ParameterCount => Leaves.Sum(t => t.numel());

    IEnumerable<Tensor> ITensorContainer.Tensors => Leaves;

    /// <summary>The same structure with <paramref name="f"/> applied to every leaf.</summary>
    public ParamTree Map(Func<Tensor, Tensor> f) => Zip(this, this, (t, _) => f(t));

    /// <summary>The same structure with <paramref name="f"/> applied to every leaf and its path.</summary>
    public ParamTree MapWithPath(Func<string, Tensor, Tensor> f) => MapNode("", f);

    /// <summary>Zips two trees of the same structure leaf by leaf.</summary>
    /// <exception cref="TreeStructureException">The structures differ; the message names the first differing path.</exception>
    public static ParamTree Map2(ParamTree a, ParamTree b, Func<Tensor, Tensor, Tensor> f)
    {
        RequireSameStructure(a, b);
        return Zip(a, b, f);
    }

    /// <summary>Zips three trees of the same structure leaf by leaf.</summary>
    /// <exception cref="TreeStructureException">The structures differ.</exception>
    public static ParamTree Map3(ParamTree a, ParamTree b, ParamTree c, Func<Tensor, Tensor, Tensor, Tensor> f)
    {
        RequireSameStructure(a, b);
        RequireSameStructure(a, c);
        return a.MapWithPath((path, x) => f(x, b[path], c[path]));
    }

    /// <summary>
    /// Zips two trees already known to have the same structure (<see cref="RequireSameStructure"/>): their children
    /// are walked in lockstep, with no path strings or lookups, which per-step optimizer code would pay for every leaf.
    /// </summary>
    internal static ParamTree Zip(ParamTree a, ParamTree b, Func<Tensor, Tensor, Tensor> f)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, object>(StringComparer.Ordinal, LeafIdentity);
        foreach (var ((key, x), (_, y)) in a._children.Zip(b._children))
            builder[key] = x is ParamTree sx ? Zip(sx, (ParamTree)y, f) : f((Tensor)x, (Tensor)y);
        return new ParamTree(builder.ToImmutable());
    }

    /// <summary>The same structure with <paramref name="leaves"/>, given in traversal order, as its leaves.</summary>
    /// <exception cref="ArgumentException">The number of leaves differs.</exception>
    internal ParamTree WithLeaves(IReadOnlyList<Tensor> leaves)
    {
        int next = 0;
        var result = Map(_ => next < leaves.Count ? leaves[next++] : throw LeafCountMismatch(leaves.Count));
        return next == leaves.Count ? result : throw LeafCountMismatch(leaves.Count);
    }

    private ArgumentException LeafCountMismatch(int given) =>
        new($"The tree has {LeafCount} leaves, but {given} were given.", "leaves");

    /// <summary>Throws unless both trees have the same keys at every level and leaves of the same shapes.</summary>
    /// <exception cref="TreeStructureException">Names the first path where they differ.</exception>
    public static void RequireSameStructure(ParamTree a, ParamTree b)
    {
        if (SameStructure(a, b)) return;
        var difference = FirstDifference(a, b, "");
        if (difference is not null) throw new TreeStructureException($"Tree structures differ at {difference}.");
    }

    /// <summary>Whether both trees have the same structure and all leaves are close (<c>torch.allclose</c>).</summary>
    public static bool AllClose(ParamTree a, ParamTree b, double rtol = 1e-5, double atol = 1e-8)
    {
        if (FirstDifference(a, b, "") is not null) return false;
        using var scope = NewDisposeScope();
        return a.Flatten().All(kv => kv.Value.allclose(b[kv.Key], rtol, atol));
    }

    /// <summary>An indented listing of the tree: one line per entry, leaves with dtype and shape.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        Print(sb, 0);
        return sb.Length == 0 ? "{}" : sb.ToString().TrimEnd();
    }

    /// <summary>The direct children: values are <see cref="Tensor"/> leaves or <see cref="ParamTree"/> subtrees.</summary>
    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => _children.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Collects leaves by path; <see cref="ToImmutable"/> makes the tree.</summary>
    public sealed class Builder
    {
        private readonly SortedDictionary<string, object> _root = new(StringComparer.Ordinal);

        /// <summary>Adds a leaf at a slash path.</summary>
        /// <exception cref="ArgumentException">The path is already taken or runs through a leaf.</exception>
        public Builder Add(string path, Tensor leaf)
        {
            var keys = SplitPath(path);
            var node = _root;
            for (int i = 0; i < keys.Length - 1; i++)
            {
                if (!node.TryGetValue(keys[i], out var child))
                    node[keys[i]] = child = new SortedDictionary<string, object>(StringComparer.Ordinal);
                node = child as SortedDictionary<string, object>
                    ?? throw new ArgumentException($"Cannot add '{path}': '{string.Join('/', keys[..(i + 1)])}' is a leaf.", nameof(path));
            }
            if (!node.TryAdd(keys[^1], leaf)) throw new ArgumentException($"Cannot add '{path}': the path is taken.", nameof(path));
            return this;
        }

        /// <summary>The tree of all leaves added so far.</summary>
        public ParamTree ToImmutable() => Freeze(_root);

        private static ParamTree Freeze(SortedDictionary<string, object> node) =>
            new(node.ToImmutableSortedDictionary(kv => kv.Key,
                kv => kv.Value is SortedDictionary<string, object> d ? Freeze(d) : kv.Value, StringComparer.Ordinal, LeafIdentity));
    }

    internal object? Find(string path)
    {
        object? node = this;
        foreach (var key in SplitPath(path))
        {
            if (node is not ParamTree tree || !tree._children.TryGetValue(key, out node)) return null;
        }
        return node;
    }

    internal object? Child(string key) => _children.TryGetValue(key, out var v) ? v : null;

    private KeyNotFoundException NotFound(string path)
    {
        var keys = SplitPath(path);
        var node = this;
        for (int i = 0; i < keys.Length; i++)
        {
            if (node._children.TryGetValue(keys[i], out var child) && child is ParamTree sub) { node = sub; continue; }
            var at = i == 0 ? "the root" : $"'{string.Join('/', keys[..i])}'";
            return new KeyNotFoundException(
                $"No entry '{path}' in the tree: {at} has no key '{keys[i]}' (keys there: {string.Join(", ", node.Keys)}).");
        }
        return new KeyNotFoundException($"No entry '{path}' in the tree.");
    }

    private ParamTree Set(string[] keys, int depth, object value)
    {
        var key = keys[depth];
        if (depth == keys.Length - 1)
        {
            if (_children.TryGetValue(key, out var old) && ReferenceEquals(old, value)) return this;
            return new ParamTree(_children.SetItem(key, value));
        }
        var sub = Child(key) as ParamTree ?? Empty;
        var updated = sub.Set(keys, depth + 1, value);
        return ReferenceEquals(updated, sub) && _children.ContainsKey(key) ? this : new ParamTree(_children.SetItem(key, updated));
    }

    private ParamTree Remove(string[] keys, int depth)
    {
        var key = keys[depth];
        if (!_children.TryGetValue(key, out var child)) return this;
        if (depth == keys.Length - 1) return new ParamTree(_children.Remove(key));
        if (child is not ParamTree sub) return this;
        var updated = sub.Remove(keys, depth + 1);
        return ReferenceEquals(updated, sub) ? this : new ParamTree(_children.SetItem(key, updated));
    }

    private void CollectLeaves(List<Tensor> leaves)
    {
        foreach (var value in _children.Values)
        {
            if (value is ParamTree sub) sub.CollectLeaves(leaves);
            else leaves.Add((Tensor)value);
        }
    }

    private void Walk(string prefix, Action<string, Tensor> visit)
    {
        foreach (var (key, value) in _children)
        {
            var path = prefix.Length == 0 ? key : prefix + "/" + key;
            if (value is ParamTree sub) sub.Walk(path, visit);
            else visit(path, (Tensor)value);
        }
    }

    private ParamTree MapNode(string prefix, Func<string, Tensor, Tensor> f)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, object>(StringComparer.Ordinal, LeafIdentity);
        foreach (var (key, value) in _children)
        {
            var path = prefix.Length == 0 ? key : prefix + "/" + key;
            builder[key] = value is ParamTree sub ? sub.MapNode(path, f) : f(path, (Tensor)value);
        }
        return new ParamTree(builder.ToImmutable());
    }

    // The check every optimizer update makes, without FirstDifference's key sets and path strings (they cost more than
    // Adam's arithmetic on a small model): both children lists are in ordinal order, so they are compared in lockstep.
    private static bool SameStructure(ParamTree a, ParamTree b)
    {
        if (a._children.Count != b._children.Count) return false;
        foreach (var ((keyA, x), (keyB, y)) in a._children.Zip(b._children))
        {
            var same = string.Equals(keyA, keyB, StringComparison.Ordinal) && (x, y) switch
            {
                (ParamTree sx, ParamTree sy) => SameStructure(sx, sy),
                (Tensor tx, Tensor ty) => Shapes.Of(tx).AsSpan().SequenceEqual(Shapes.Of(ty)),
                _ => false,
            };
            if (!same) return false;
        }
        return true;
    }

    private static string? FirstDifference(ParamTree a, ParamTree b, string prefix)
    {
        foreach (var key in a.Keys.Union(b.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var path = prefix.Length == 0 ? key : prefix + "/" + key;
            var (x, y) = (a.Child(key), b.Child(key));
            switch (x, y)
            {
                case (null, _): return $"'{path}' (only in the second tree)";
                case (_, null): return $"'{path}' (only in the first tree)";
                case (ParamTree sx, ParamTree sy):
                    var inner = FirstDifference(sx, sy, path);
                    if (inner is not null) return inner;
                    break;
                case (Tensor tx, Tensor ty):
                    if (!tx.shape.SequenceEqual(ty.shape))
                        return $"'{path}' (shapes {Shapes.Format(tx.shape)} and {Shapes.Format(ty.shape)})";
                    break;
                default: return $"'{path}' (a leaf in one tree, a subtree in the other)";
            }
        }
        return null;
    }

    private void Print(StringBuilder sb, int indent)
    {
        foreach (var (key, value) in _children)
        {
            sb.Append(' ', indent * 2).Append(key);
            if (value is Tensor t) sb.Append(": ").Append(t.dtype.ToString().ToLowerInvariant()).Append(Shapes.Format(t.shape)).AppendLine();
            else { sb.AppendLine(); ((ParamTree)value).Print(sb, indent + 1); }
        }
    }

    private static string[] SplitPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var keys = path.Split('/');
        if (keys.Any(k => k.Length == 0)) throw new ArgumentException($"Invalid tree path '{path}': empty key.", nameof(path));
        return keys;
    }
}
