using Parquet;
using Parquet.Schema;

namespace LstmWorkers.Benchmarks;

/// <summary>
/// Writes a workload as the Parquet input of <c>lstmw encode</c> (for the end-to-end timing):
/// id int64 and tokens list&lt;int32&gt; (or features list&lt;float&gt;, flattened [len × I]), rows in a
/// fixed shuffled order so the coordinator's sorting has work to do, 100,000-row row groups.
/// </summary>
public static class WorkloadParquet
{
    public static async Task WriteAsync(Workload workload, string path)
    {
        int count = workload.Lengths.Length;
        var order = Enumerable.Range(0, count).ToArray();
        new Random(7).Shuffle(order);
        bool tokens = workload.Vocab > 0;
        var id = new DataField<long>("id", nullable: false);
        var element = tokens ? (DataField)new DataField<int>(ListField.ElementName, nullable: false) : new DataField<float>(ListField.ElementName, nullable: false);
        var list = new ListField(tokens ? "tokens" : "features", element);
        await using var stream = File.Create(path);
        var options = new ParquetOptions { CompressionMethod = CompressionMethod.Snappy };
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, list), stream, options);
        for (int first = 0; first < count; first += 100_000)
        {
            var rows = order.AsSpan(first, Math.Min(100_000, count - first)).ToArray();
            int width = tokens ? 1 : workload.InputSize;
            long values = rows.Sum(s => (long)workload.Lengths[s] * width);
            var ints = tokens ? new int[values] : null;
            var floats = tokens ? null : new float[values];
            var definition = new int[Math.Max(values, rows.Length)];
            var repetition = new int[definition.Length];
            int at = 0, level = 0;
            foreach (int s in rows)
            {
                int n = workload.Lengths[s] * width;
                for (int j = 0; j < n; j++)
                {
                    int t = j / width, k = j % width;
                    if (tokens)
                    {
                        ints![at + j] = Workload.Token(s, t, workload.Vocab);
                    }
                    else
                    {
                        floats![at + j] = Workload.Feature(s, t, k, width);
                    }

                    definition[level] = element.MaxDefinitionLevel;
                    repetition[level++] = j == 0 ? 0 : 1;
                }

                at += n;
            }

            using var group = writer.CreateRowGroup();
            await group.WriteAsync<long>(id, rows.Select(s => (long)s).ToArray());
            if (tokens)
            {
                await group.WriteAllPartsAsync<int>(element, ints!, definition.AsMemory(0, level), repetition.AsMemory(0, level), CancellationToken.None);
            }
            else
            {
                await group.WriteAllPartsAsync<float>(element, floats!, definition.AsMemory(0, level), repetition.AsMemory(0, level), CancellationToken.None);
            }
        }
    }
}
