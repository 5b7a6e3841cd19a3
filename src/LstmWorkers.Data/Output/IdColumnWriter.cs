using LstmWorkers.Data.Input;
using Parquet;
using Parquet.Schema;

namespace LstmWorkers.Data.Output;

/// <summary>Writes the id column: int64 (also for row numbers), int32 or string; REQUIRED or OPTIONAL.</summary>
internal sealed class IdColumnWriter
{
    private readonly IdKind _kind;
    private readonly bool _nullable;
    private int[] _definition = [];
    private long[] _int64 = [];
    private int[] _int32 = [];
    private ReadOnlyMemory<char>[] _strings = [];

    public IdColumnWriter(string name, IdKind kind, bool nullable)
    {
        _kind = kind == IdKind.RowNumber ? IdKind.Int64 : kind;
        _nullable = nullable;
        Field = _kind switch
        {
            IdKind.Int64 => new DataField<long>(name, nullable: nullable),
            IdKind.Int32 => new DataField<int>(name, nullable: nullable),
            IdKind.String => new DataField<string>(name, nullable: nullable),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    public DataField Field { get; }

    public void Check(IdValues ids)
    {
        IdKind kind = ids.Kind == IdKind.RowNumber ? IdKind.Int64 : ids.Kind;
        if (kind != _kind)
        {
            throw new ArgumentException($"The chunk has {ids.Kind} ids; the file's id column '{Field.Name}' is {_kind}.", nameof(ids));
        }
        if (ids.HasNulls && !_nullable)
        {
            throw new ArgumentException($"The chunk has null ids; the file's id column '{Field.Name}' is REQUIRED.", nameof(ids));
        }
    }

    public async Task WriteAsync(ParquetRowGroupWriter group, IdValues ids, int start, int rows, CancellationToken cancellationToken)
    {
        ReadOnlySpan<bool> nulls = ids.Nulls is null ? default : ids.Nulls.AsSpan(start, rows);
        Memory<int>? definition = _nullable ? Definition(nulls, rows) : (Memory<int>?)null;
        switch (_kind)
        {
            case IdKind.Int64:
                {
                    ReadOnlyMemory<long> values = nulls.IsEmpty ? ids.Int64.AsMemory(start, rows) : Pack(ids.Int64.AsSpan(start, rows), nulls, ref _int64);
                    await group.WriteAllPartsAsync(Field, values, definition, null, cancellationToken);
                    break;
                }
            case IdKind.Int32:
                {
                    ReadOnlyMemory<int> values = nulls.IsEmpty ? ids.Int32.AsMemory(start, rows) : Pack(ids.Int32.AsSpan(start, rows), nulls, ref _int32);
                    await group.WriteAllPartsAsync(Field, values, definition, null, cancellationToken);
                    break;
                }
            default:
                {
                    if (_strings.Length < rows)
                    {
                        _strings = new ReadOnlyMemory<char>[rows];
                    }
                    int packed = 0;
                    for (int i = 0; i < rows; i++)
                    {
                        string? s = ids.Strings![start + i];
                        if (s is not null)
                        {
                            _strings[packed++] = s.AsMemory();
                        }
                    }
                    await group.WriteAllPartsAsync(Field, new ReadOnlyMemory<ReadOnlyMemory<char>>(_strings, 0, packed), definition, null, cancellationToken);
                    _strings.AsSpan(0, packed).Clear();
                    break;
                }
        }
    }

    private Memory<int> Definition(ReadOnlySpan<bool> nulls, int rows)
    {
        if (_definition.Length < rows)
        {
            _definition = new int[rows];
        }
        Span<int> definition = _definition.AsSpan(0, rows);
        for (int i = 0; i < rows; i++)
        {
            definition[i] = !nulls.IsEmpty && nulls[i] ? 0 : 1;
        }
        return _definition.AsMemory(0, rows);
    }

    private static ReadOnlyMemory<T> Pack<T>(ReadOnlySpan<T> values, ReadOnlySpan<bool> nulls, ref T[] buffer)
    {
        if (buffer.Length < values.Length)
        {
            buffer = new T[values.Length];
        }
        int packed = 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (!nulls[i])
            {
                buffer[packed++] = values[i];
            }
        }
        return buffer.AsMemory(0, packed);
    }
}
