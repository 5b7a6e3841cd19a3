namespace LstmWorkers.Core.Limits;

/// <summary>
/// The program's one size limit and the arithmetic to check against it. Every array of values the program builds from
/// its inputs — a row of <c>output</c>, a batch's packed steps, a kernel's buffer, a Parquet column chunk — holds at most
/// <see cref="MaxElements"/> values, and every size derived from input is computed here in 64 bits, never wrapping.
/// </summary>
public static class SizeLimits
{
    /// <summary>The most elements one array may hold (<see cref="Array.MaxLength"/>).</summary>
    public static int MaxElements => Array.MaxLength;

    /// <summary>The product of non-negative factors in 64 bits, saturating at <see cref="long.MaxValue"/> instead of wrapping.</summary>
    public static long Product(params ReadOnlySpan<long> factors)
    {
        long product = 1;
        foreach (long factor in factors)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(factor);
            if (factor != 0 && product > long.MaxValue / factor)
            {
                return factors.Contains(0) ? 0 : long.MaxValue;
            }

            product *= factor;
        }

        return product;
    }

    /// <summary>True when an array of <paramref name="elements"/> values can be built.</summary>
    public static bool Fits(long elements) => elements <= MaxElements;
}
