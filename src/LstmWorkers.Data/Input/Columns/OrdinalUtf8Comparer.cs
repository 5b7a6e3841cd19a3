using System.Text;

namespace LstmWorkers.Data.Input.Columns;

/// <summary>
/// Orders paths by the UTF-8 bytes of their file names, then of the whole path (the byte-wise order Spark and Hadoop
/// writers expect). Plain <see cref="StringComparer.Ordinal"/> compares UTF-16 units, which differs above U+D7FF.
/// </summary>
internal sealed class OrdinalUtf8Comparer : IComparer<string>
{
    public static readonly OrdinalUtf8Comparer Instance = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }
        if (x is null)
        {
            return -1;
        }
        if (y is null)
        {
            return 1;
        }
        int byName = CompareUtf8(Path.GetFileName(x), Path.GetFileName(y));
        return byName != 0 ? byName : CompareUtf8(x, y);
    }

    private static int CompareUtf8(string a, string b) =>
        Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b));
}
