namespace LstmWorkers.Data.Input.Columns;

/// <summary>Grow-only scratch arrays, reused from one row group to the next.</summary>
internal static class Buffers
{
    public static T[] Ensure<T>(ref T[] array, int length)
    {
        if (array.Length < length)
        {
            array = new T[Math.Max(length, (int)Math.Min(Array.MaxLength, array.Length * 2L))];
        }
        return array;
    }
}
