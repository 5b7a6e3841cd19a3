using Parquet;
using Parquet.Schema;

namespace LstmWorkers.Cli.Tests.Support;

/// <summary>Writes an input file of sequences: <c>id</c> int64 (the row number) and one list column (REQUIRED elements).</summary>
public static class TokenFile
{
    /// <summary><c>tokens</c> list&lt;int32&gt;.</summary>
    public static Task<string> WriteAsync(string path, params int[][] rows) => WriteAsync(path, "tokens", rows);

    /// <summary><paramref name="column"/> as list&lt;int32&gt;, list&lt;int64&gt; or list&lt;float&gt; (features flattened time-major).</summary>
    public static async Task<string> WriteAsync<T>(string path, string column, T[][] rows)
        where T : struct
    {
        var ids = new DataField<long>("id");
        var element = new DataField<T>(ListField.ElementName, nullable: false);
        var schema = new ParquetSchema(ids, new ListField(column, element)); // sets the element's levels
        int count = rows.Sum(row => Math.Max(1, row.Length)); // an empty list is one level entry without a value
        var values = new T[rows.Sum(row => row.Length)];
        var definition = new int[count];
        var repetition = new int[count];
        int at = 0, value = 0;
        foreach (T[] row in rows)
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
        await group.WriteAllPartsAsync<T>(element, values, definition, repetition, CancellationToken.None);
        return path;
    }
}
