using System.Globalization;
using LstmWorkers.Data.Input.Pages;
using Parquet;
using Parquet.Schema;

namespace LstmWorkers.Data.Input.Columns;

/// <summary>
/// Reads the id column of one row group at a time into per-row arrays (index = row inside the group), reusing them.
/// A null id leaves 0 (or a null string) in the typed array and sets <see cref="Nulls"/>.
/// </summary>
internal sealed class IdDecoder
{
    private int[] _def = [];
    private ReadOnlyMemory<char>[] _chars = [];
    private long[] _int64 = [];
    private int[] _int32 = [];
    private string?[] _strings = [];
    private bool[] _nulls = [];
    private readonly RawColumnReader _reader = new();

    public IdKind Kind { get; private set; }

    public int RowCount { get; private set; }

    public bool AnyNull { get; private set; }

    public ReadOnlySpan<long> Int64 => _int64.AsSpan(0, Kind == IdKind.Int64 ? RowCount : 0);

    public ReadOnlySpan<int> Int32 => _int32.AsSpan(0, Kind == IdKind.Int32 ? RowCount : 0);

    public ReadOnlySpan<string?> Strings => _strings.AsSpan(0, Kind == IdKind.String ? RowCount : 0);

    public ReadOnlySpan<bool> Nulls => _nulls.AsSpan(0, AnyNull ? RowCount : 0);

    public async ValueTask DecodeAsync(ParquetRowGroupReader rowGroup, ColumnLayout layout, PageFile file, CancellationToken cancellationToken)
    {
        DataField leaf = layout.Leaf!;
        if (rowGroup.RowCount > Array.MaxLength)
        {
            throw new NotSupportedException($"the row group holds {rowGroup.RowCount} rows; at most {Array.MaxLength} are supported");
        }
        int rows = (int)rowGroup.RowCount;
        Kind = layout.IdKind ?? throw new InvalidOperationException($"{layout.TypeName} is not an id type");
        bool optional = leaf.MaxDefinitionLevel > 0;
        Memory<int>? def = optional ? Buffers.Ensure(ref _def, rows).AsMemory(0, rows) : (Memory<int>?)null;
        switch (Kind)
        {
            case IdKind.Int64:
                await _reader.ReadAsync(rowGroup, leaf, file, Buffers.Ensure(ref _int64, rows).AsMemory(0, rows), def, null, cancellationToken);
                break;
            case IdKind.Int32:
                await _reader.ReadAsync(rowGroup, leaf, file, Buffers.Ensure(ref _int32, rows).AsMemory(0, rows), def, null, cancellationToken);
                break;
            default:
                await _reader.ReadAsync(rowGroup, leaf, file, Buffers.Ensure(ref _chars, rows).AsMemory(0, rows), def, null, cancellationToken);
                break;
        }
        RowCount = rows;
        AnyNull = optional && _def.AsSpan(0, rows).IndexOfAnyExcept(leaf.MaxDefinitionLevel) >= 0;
        if (AnyNull)
        {
            Spread(leaf.MaxDefinitionLevel);
        }
        if (Kind == IdKind.String)
        {
            Buffers.Ensure(ref _strings, rows);
            for (int i = 0; i < rows; i++)
            {
                _strings[i] = AnyNull && _nulls[i] ? null : new string(_chars[i].Span);
                _chars[i] = default;
            }
        }
    }

    /// <summary>Row <paramref name="row"/>'s id for messages, as <see cref="IdValues.Format"/> writes it.</summary>
    public string Format(int row)
    {
        if (AnyNull && _nulls[row])
        {
            return "null";
        }
        return Kind switch
        {
            IdKind.Int64 => _int64[row].ToString(CultureInfo.InvariantCulture),
            IdKind.Int32 => _int32[row].ToString(CultureInfo.InvariantCulture),
            _ => "\"" + _strings[row] + "\"",
        };
    }

    /// <summary>Moves the packed non-null values to their rows, back to front so it can work in place.</summary>
    private void Spread(int present)
    {
        int rows = RowCount;
        Buffers.Ensure(ref _nulls, rows);
        ReadOnlySpan<int> def = _def.AsSpan(0, rows);
        int packed = def.Count(present);
        switch (Kind)
        {
            case IdKind.Int64:
                Spread(_int64.AsSpan(0, rows), def, present, packed, _nulls);
                break;
            case IdKind.Int32:
                Spread(_int32.AsSpan(0, rows), def, present, packed, _nulls);
                break;
            default:
                Spread(_chars.AsSpan(0, rows), def, present, packed, _nulls);
                break;
        }
    }

    private static void Spread<T>(Span<T> values, ReadOnlySpan<int> def, int present, int packed, bool[] nulls)
    {
        int j = packed - 1;
        for (int i = values.Length - 1; i >= 0; i--)
        {
            bool isNull = def[i] != present;
            nulls[i] = isNull;
            values[i] = isNull ? default! : values[j--];
        }
    }
}
