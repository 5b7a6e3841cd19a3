using Parquet;
using Parquet.Schema;

namespace LstmWorkers.Cli.Tests.Support;

/// <summary>Writes an input file of token sequences: <c>id</c> int64 (the row number) and <c>tokens</c> list&lt;int32&gt;.</summary>
public static class TokenFile
{
    public static async Task<string> WriteAsync(string path, params int[][] rows)
    {
        var ids = new DataField<long>("id");
        var element = new DataField<int>(ListField.ElementName, nullable: false);
        var schema = new ParquetSchema(ids, new ListField("tokens", element)); // sets the element's levels
        int count = rows.Sum(row => Math.Max(1, row.Length)); // an empty list is one level entry without a value
        var values = new int[rows.Sum(row => row.Length)];
        var definition = new int[count];
        var repetition = new int[count];
        int at = 0, value = 0;
        foreach (int[] row in rows)
        {
            if (row.Length == 0)
            {
                definition[at++] = element.MaxDefinitionLevel - 1;
                continue;
            }

            for (int t = 0; t < row.Length; t++, at++)
            {
                definition[at] = element.MaxDefinitionLevel;
                repetition[at] = t == 0 ? 0 : 1;
                values[value++] = row[t];
            }
        }

        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(schema, stream);
        using var group = writer.CreateRowGroup();
        await group.WriteAsync<long>(ids, Enumerable.Range(0, rows.Length).Select(i => (long)i).ToArray(), null, null);
        await group.WriteAllPartsAsync<int>(element, values, definition, repetition, CancellationToken.None);
        return path;
    }
}
