namespace Linen.Testing;

/// <summary>The distribution of a <see cref="RandomTensor"/>'s values.</summary>
public enum TensorValues
{
    /// <summary>Standard normal values (<c>Sample.Normal</c>).</summary>
    Normal,

    /// <summary>Uniform values in <c>[-1, 1)</c> (<c>Sample.Uniform</c>).</summary>
    Uniform,
}
