using System.Numerics;
using System.Runtime.InteropServices;

namespace LstmWorkers.Data.Input.Columns;

/// <summary>Vectorised searches for the first bad value, and the narrowing copies used after validation.</summary>
internal static class ValueChecks
{
    /// <summary>Index of the first token id outside [0, <paramref name="limit"/>), or −1.</summary>
    public static int FirstBadToken(ReadOnlySpan<int> values, ulong limit) =>
        values.IndexOfAnyExceptInRange(0, (int)Math.Min(limit - 1, int.MaxValue));

    /// <summary>Index of the first token id outside [0, <paramref name="limit"/>), or −1.</summary>
    public static int FirstBadToken(ReadOnlySpan<long> values, ulong limit) =>
        values.IndexOfAnyExceptInRange(0L, (long)Math.Min(limit - 1, long.MaxValue));

    /// <summary>Index of the first NaN or infinity, or −1.</summary>
    public static int FirstNonFinite(ReadOnlySpan<float> values)
    {
        // A float is NaN or infinite exactly when all its exponent bits are set.
        const int exponent = 0x7F800000;
        ReadOnlySpan<int> bits = MemoryMarshal.Cast<float, int>(values);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var mask = new Vector<int>(exponent);
            for (; i <= bits.Length - Vector<int>.Count; i += Vector<int>.Count)
            {
                if (Vector.EqualsAny(new Vector<int>(bits.Slice(i)) & mask, mask))
                {
                    break;
                }
            }
        }
        for (; i < bits.Length; i++)
        {
            if ((bits[i] & exponent) == exponent)
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Index of the first value that is NaN, infinite or too large for a float, or −1.</summary>
    public static int FirstNotFiniteFloat(ReadOnlySpan<double> values)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var max = new Vector<double>(float.MaxValue);
            for (; i <= values.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                // NaN compares false, so it fails the test too
                if (!Vector.LessThanOrEqualAll(Vector.Abs(new Vector<double>(values.Slice(i))), max))
                {
                    break;
                }
            }
        }
        for (; i < values.Length; i++)
        {
            if (!(Math.Abs(values[i]) <= float.MaxValue))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Copies validated token ids.</summary>
    public static void Narrow(ReadOnlySpan<long> source, Span<int> destination)
    {
        destination = destination[..source.Length];
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = (int)source[i];
        }
    }

    /// <summary>Converts features to float (round to nearest).</summary>
    public static void Narrow(ReadOnlySpan<double> source, Span<float> destination)
    {
        destination = destination[..source.Length];
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = (float)source[i];
        }
    }
}
