using System.Runtime.CompilerServices;
using LstmWorkers.Data.Input;
using Parquet;
using Parquet.Schema;

namespace LstmWorkers.Data.Output;

/// <summary>
/// Reads an encoding file (as <see cref="EncodingWriter"/> writes it) back one row group at a time,
/// as the chunks that were written, so that files can be combined without changing a byte of what
/// they hold. A list column's values come back concatenated, row after row, as a chunk holds them (the row sizes are
/// the schema's, or, for a ragged <c>output</c>, the lengths' steps).
/// </summary>
public static class EncodingReader
{
    public static async IAsyncEnumerable<EncodedChunk> ReadAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken);
        var fields = reader.Schema.GetDataFields();
        var lists = fields.Where(f => f.MaxRepetitionLevel > 0).ToDictionary(f => f.Path.FirstPart!, StringComparer.Ordinal);
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            int rows = checked((int)group.RowCount);
            var ids = await ReadIdsAsync(group, fields[0], rows, cancellationToken);
            var lengths = new int[rows];
            await group.ReadRawAsync(fields.Single(f => f.Name == OutputSchema.LengthColumn), lengths.AsMemory(), null, null, cancellationToken);
            yield return new EncodedChunk(ids, lengths,
                await ReadListAsync(group, lists.GetValueOrDefault(OutputSchema.OutputColumn), cancellationToken),
                await ReadListAsync(group, lists.GetValueOrDefault(OutputSchema.HnColumn), cancellationToken),
                await ReadListAsync(group, lists.GetValueOrDefault(OutputSchema.CnColumn), cancellationToken),
                await ReadListAsync(group, lists.GetValueOrDefault(OutputSchema.PooledMeanColumn), cancellationToken),
                await ReadListAsync(group, lists.GetValueOrDefault(OutputSchema.PooledMaxColumn), cancellationToken));
        }
    }

    /// <summary>The <c>length</c> column alone, every row group's in order: what a finished part holds, without its floats.</summary>
    public static async Task<int[]> ReadLengthsAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken);
        var field = reader.Schema.GetDataFields().Single(f => f.Name == OutputSchema.LengthColumn);
        var lengths = new int[checked((int)reader.RowGroups.Sum(g => g.RowCount))];
        int at = 0;
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            int rows = checked((int)group.RowCount);
            await group.ReadRawAsync(field, lengths.AsMemory(at, rows), null, null, cancellationToken);
            at += rows;
        }

        return lengths;
    }

    private static async Task<float[]?> ReadListAsync(ParquetRowGroupReader group, DataField? field, CancellationToken cancellationToken)
    {
        if (field is null)
        {
            return null;
        }

        int count = checked((int)(group.GetMetadata(field)?.MetaData?.NumValues ?? 0));
        var values = new float[count];
        var definitions = new int[count];
        await group.ReadRawAsync(field, values.AsMemory(), definitions, new int[count], cancellationToken);
        int defined = definitions.AsSpan().Count(field.MaxDefinitionLevel); // an empty list has a level entry, no value
        return defined == count ? values : values.AsSpan(0, defined).ToArray();
    }

    private static async Task<IdValues> ReadIdsAsync(ParquetRowGroupReader group, DataField field, int rows, CancellationToken cancellationToken)
    {
        int[]? definitions = field.MaxDefinitionLevel > 0 ? new int[rows] : null;
        Memory<int>? levels = definitions is null ? (Memory<int>?)null : definitions.AsMemory();
        if (field.ClrType == typeof(long))
        {
            var values = new long[rows];
            await group.ReadRawAsync(field, values.AsMemory(), levels, null, cancellationToken);
            var nulls = Unpack(values, definitions);
            return IdValues.FromInt64(values, nulls);
        }

        if (field.ClrType == typeof(int))
        {
            var values = new int[rows];
            await group.ReadRawAsync(field, values.AsMemory(), levels, null, cancellationToken);
            var nulls = Unpack(values, definitions);
            return IdValues.FromInt32(values, nulls);
        }

        var chars = new ReadOnlyMemory<char>[rows];
        await group.ReadRawAsync(field, chars.AsMemory(), levels, null, cancellationToken);
        var strings = new string?[rows];
        var present = Unpack(chars, definitions);
        for (int i = 0; i < rows; i++)
        {
            strings[i] = present?[i] == true ? null : chars[i].ToString();
        }

        return IdValues.FromStrings(strings);
    }

    /// <summary>Spreads values packed at the front (nulls omitted) to their rows; returns the null mask, or null when none is null.</summary>
    private static bool[]? Unpack<T>(T[] values, int[]? definitions)
    {
        if (definitions is null || !definitions.Contains(0))
        {
            return null;
        }

        var nulls = new bool[values.Length];
        int packed = definitions.Count(d => d > 0);
        for (int row = values.Length - 1; row >= 0; row--)
        {
            nulls[row] = definitions[row] == 0;
            values[row] = nulls[row] ? default! : values[--packed];
        }

        return nulls;
    }
}
