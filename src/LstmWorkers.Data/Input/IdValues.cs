using System.Globalization;

namespace LstmWorkers.Data.Input;

/// <summary>
/// The ids of a run of rows, typed: <see cref="Int64"/> for <see cref="IdKind.Int64"/> and <see cref="IdKind.RowNumber"/>,
/// <see cref="Int32"/> for <see cref="IdKind.Int32"/>, <see cref="Strings"/> for <see cref="IdKind.String"/>; exactly one of
/// the three arrays is set and holds <see cref="Count"/> values. Null ids (from OPTIONAL columns) are marked in
/// <see cref="Nulls"/>; the typed array then holds 0 (or null for strings) at those positions.
/// Instances are immutable by convention: do not write to the arrays after construction.
/// </summary>
public sealed class IdValues
{
    private IdValues(IdKind kind, int count, long[]? int64, int[]? int32, string?[]? strings, bool[]? nulls)
    {
        Kind = kind;
        Count = count;
        Int64 = int64;
        Int32 = int32;
        Strings = strings;
        Nulls = nulls;
    }

    /// <summary>The id type.</summary>
    public IdKind Kind { get; }

    /// <summary>Number of ids.</summary>
    public int Count { get; }

    /// <summary>The ids for <see cref="IdKind.Int64"/> and <see cref="IdKind.RowNumber"/>, else null.</summary>
    public long[]? Int64 { get; }

    /// <summary>The ids for <see cref="IdKind.Int32"/>, else null.</summary>
    public int[]? Int32 { get; }

    /// <summary>The ids for <see cref="IdKind.String"/> (null entries are null ids), else null.</summary>
    public string?[]? Strings { get; }

    /// <summary><c>Nulls[i]</c> is true when id <c>i</c> is null; null itself when no id is null.</summary>
    public bool[]? Nulls { get; }

    /// <summary>True when at least one id is null.</summary>
    public bool HasNulls => Nulls is not null;

    /// <summary>Global row numbers <paramref name="firstRow"/> … <paramref name="firstRow"/> + <paramref name="count"/> − 1.</summary>
    public static IdValues RowNumbers(long firstRow, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var values = new long[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = firstRow + i;
        }
        return new IdValues(IdKind.RowNumber, count, values, null, null, null);
    }

    /// <summary>int64 ids; <paramref name="nulls"/> (same length, or null) marks null ids.</summary>
    public static IdValues FromInt64(long[] values, bool[]? nulls = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new IdValues(IdKind.Int64, values.Length, values, null, null, NormalizeNulls(nulls, values.Length));
    }

    /// <summary>int32 ids; <paramref name="nulls"/> (same length, or null) marks null ids.</summary>
    public static IdValues FromInt32(int[] values, bool[]? nulls = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new IdValues(IdKind.Int32, values.Length, null, values, null, NormalizeNulls(nulls, values.Length));
    }

    /// <summary>String ids; a null entry is a null id.</summary>
    public static IdValues FromStrings(string?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        bool[]? nulls = null;
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] is null)
            {
                nulls ??= new bool[values.Length];
                nulls[i] = true;
            }
        }
        return new IdValues(IdKind.String, values.Length, null, null, values, nulls);
    }

    /// <summary>No ids of the given kind.</summary>
    public static IdValues Empty(IdKind kind) => kind switch
    {
        IdKind.RowNumber => RowNumbers(0, 0),
        IdKind.Int64 => FromInt64([]),
        IdKind.Int32 => FromInt32([]),
        IdKind.String => FromStrings([]),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>True when id <paramref name="index"/> is null.</summary>
    public bool IsNull(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        return Nulls is not null && Nulls[index];
    }

    /// <summary>
    /// Id <paramref name="index"/> for messages: numbers in invariant decimal, strings in double quotes, <c>null</c> for a null id.
    /// </summary>
    public string Format(int index)
    {
        if (IsNull(index))
        {
            return "null";
        }
        return Kind switch
        {
            IdKind.Int32 => Int32![index].ToString(CultureInfo.InvariantCulture),
            IdKind.String => "\"" + Strings![index] + "\"",
            _ => Int64![index].ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>A copy of ids [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>).</summary>
    public IdValues Slice(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start, Count - count, nameof(start));
        bool[]? nulls = Nulls is null ? null : NormalizeNulls(Nulls.AsSpan(start, count).ToArray(), count);
        return Kind switch
        {
            IdKind.Int32 => new IdValues(Kind, count, null, Int32.AsSpan(start, count).ToArray(), null, nulls),
            IdKind.String => new IdValues(Kind, count, null, null, Strings.AsSpan(start, count).ToArray(), nulls),
            _ => new IdValues(Kind, count, Int64.AsSpan(start, count).ToArray(), null, null, nulls),
        };
    }

    /// <summary>The ids of <paramref name="parts"/> one after another; all parts must have the same <see cref="Kind"/>.</summary>
    public static IdValues Concat(IReadOnlyList<IdValues> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw new ArgumentException("At least one part is needed.", nameof(parts));
        }
        IdKind kind = parts[0].Kind;
        int count = 0;
        bool anyNull = false;
        foreach (IdValues part in parts)
        {
            if (part.Kind != kind)
            {
                throw new ArgumentException($"Cannot concatenate {part.Kind} ids to {kind} ids.", nameof(parts));
            }
            count = checked(count + part.Count);
            anyNull |= part.HasNulls;
        }
        bool[]? nulls = anyNull ? new bool[count] : null;
        long[]? int64 = kind is IdKind.Int64 or IdKind.RowNumber ? new long[count] : null;
        int[]? int32 = kind is IdKind.Int32 ? new int[count] : null;
        string?[]? strings = kind is IdKind.String ? new string?[count] : null;
        int at = 0;
        foreach (IdValues part in parts)
        {
            part.Int64?.CopyTo(int64!, at);
            part.Int32?.CopyTo(int32!, at);
            part.Strings?.CopyTo(strings!, at);
            part.Nulls?.CopyTo(nulls!, at);
            at += part.Count;
        }
        return new IdValues(kind, count, int64, int32, strings, nulls);
    }

    private static bool[]? NormalizeNulls(bool[]? nulls, int count)
    {
        if (nulls is null)
        {
            return null;
        }
        if (nulls.Length != count)
        {
            throw new ArgumentException($"The null mask has {nulls.Length} entries for {count} ids.", nameof(nulls));
        }
        return nulls.AsSpan().Contains(true) ? nulls : null;
    }
}
