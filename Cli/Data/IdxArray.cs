namespace Linen.Cli.Data;

/// <summary>The content of an unsigned-byte IDX file: its dimensions and its values, row-major.</summary>
/// <param name="Shape">The dimensions from the header; the first is the item count.</param>
/// <param name="Values">The <c>prod(Shape)</c> values.</param>
internal sealed record IdxArray(int[] Shape, byte[] Values)
{
    /// <summary>How many items (the first dimension).</summary>
    public int Count => Shape[0];
}
