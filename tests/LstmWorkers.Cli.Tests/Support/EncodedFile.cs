using Parquet;
using Parquet.Schema;

namespace LstmWorkers.Cli.Tests.Support;

/// <summary>An encoding file read back whole, for assertions: ids as text, lengths, and each list column
/// flattened (a padded list has a fixed size per row, so row r occupies [r·size, (r+1)·size); a ragged output's rows
/// follow one another, length × D·H_out each).</summary>
public sealed record EncodedFile(
    IReadOnlyDictionary<string, string> Metadata,
    string IdColumn,
    string[] Ids,
    int[] Lengths,
    float[]? Output,
    float[]? HiddenState,
    float[]? CellState,
    float[]? PooledMean,
    float[]? PooledMax)
{
    public static async Task<EncodedFile> ReadAsync(string path)
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.GetDataFields();
        var idField = fields[0];
        var ids = new List<string>();
        var lengths = new List<int>();
        var lists = new Dictionary<string, List<float>>();
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            int rows = (int)group.RowCount;
            ids.AddRange(await ReadIdsAsync(group, idField, rows));
            var length = new int[rows];
            await group.ReadRawAsync(Field(fields, "length"), length.AsMemory(), null, null);
            lengths.AddRange(length);
            foreach (var field in fields.Where(f => f.MaxRepetitionLevel > 0))
            {
                long count = group.GetMetadata(field)!.MetaData!.NumValues;
                var values = new float[count];
                var definitions = new int[count];
                await group.ReadRawAsync(field, values.AsMemory(), definitions, new int[count]);
                int defined = definitions.Count(level => level == field.MaxDefinitionLevel); // an empty list has a level, no value
                string name = field.Path.FirstPart!;
                (lists.TryGetValue(name, out var list) ? list : lists[name] = []).AddRange(values.Take(defined));
            }
        }

        float[]? List(string name) => lists.TryGetValue(name, out var values) ? values.ToArray() : null;
        return new EncodedFile(reader.CustomMetadata, idField.Name, ids.ToArray(), lengths.ToArray(), List("output"), List("h_n"), List("c_n"),
            List("pooled_mean"), List("pooled_max"));
    }

    private static DataField Field(DataField[] fields, string name) => fields.Single(f => f.Name == name);

    private static async Task<IEnumerable<string>> ReadIdsAsync(ParquetRowGroupReader group, DataField field, int rows)
    {
        Memory<int>? definitions = field.MaxDefinitionLevel > 0 ? new int[rows] : (Memory<int>?)null; // a null int[] would pass as an empty buffer
        if (field.ClrType == typeof(int))
        {
            var ints = new int[rows];
            await group.ReadRawAsync(field, ints.AsMemory(), definitions, null);
            return ints.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (field.ClrType != typeof(long))
        {
            var chars = new ReadOnlyMemory<char>[rows];
            await group.ReadRawAsync(field, chars.AsMemory(), definitions, null);
            return chars.Select(c => c.ToString());
        }

        var longs = new long[rows];
        await group.ReadRawAsync(field, longs.AsMemory(), definitions, null);
        return longs.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
