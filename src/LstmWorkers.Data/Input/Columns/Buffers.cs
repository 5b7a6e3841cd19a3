namespace LstmWorkers.Data.Input.Columns;

/// <summary>Grow-only scratch arrays, reused from one row group to the next.</summary>
internal static class Buffers
{
    /// <summary>
    /// <paramref name="array"/>, replaced by a larger one when it holds fewer than <paramref name="length"/> elements:
    /// <paramref name="length"/> and an eighth more. Not twice the old size: these arrays are sized by row groups,
    /// which come in similar sizes, and a row group's values and chunk can be gigabytes (doubling for a row group 1%
    /// larger than the last would leave almost as much again allocated and never used).
    /// </summary>
    public static T[] Ensure<T>(ref T[] array, int length)
    {
        if (array.Length < length)
        {
            array = new T[Math.Min(Array.MaxLength, length + (long)length / 8)];
        }
        return array;
    }
}
