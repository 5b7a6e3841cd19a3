using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using Parquet;
using Parquet.Schema;

namespace LstmWorkers.Benchmarks;

/// <summary>
/// <c>lstmw-bench write</c> (issue 12: "Parquet written in its fastest settings for float lists"): one list&lt;float&gt;
/// column as EncodingWriter writes <c>output</c> — rows of T·D·H_out floats in row groups of 2^23 floats — through
/// Parquet.Net with each codec, with and without its dictionary attempt, on LSTM-like values (tanh of a hash, in (−1, 1))
/// padded with zeros like the <c>faults</c> workload (74% padding) and unpadded. Best of three, file size and MB/s of floats.
/// </summary>
public static class ParquetWriteBench
{
    private const int RowFloats = 200 * 256; // faults: T = 200, D·H_out = 256
    private const int Rows = 1024;           // 52 M floats, 210 MB: 6 row groups
    private const int RowGroupRows = (1 << 23) / RowFloats;

    public static async Task<int> RunAsync(string directory)
    {
        Directory.CreateDirectory(directory);
        Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}");
        foreach (double padding in new[] { 0.74, 0.0 })
        {
            float[] values = Values(padding);
            Console.WriteLine();
            Console.WriteLine(Invariant($"{Rows} rows of {RowFloats} floats ({values.Length * 4 / 1e6:0} MB), {100 * padding:0}% padding"));
            Console.WriteLine("  | codec | dictionary attempt | file | ÷ raw | write (best of 3) | MB/s |");
            Console.WriteLine("  | --- | --- | --- | --- | --- | --- |");
            foreach (var codec in new[] { CompressionMethod.Snappy, CompressionMethod.None, CompressionMethod.Lz4Raw, CompressionMethod.Zstd })
            {
                foreach (bool dictionary in new[] { true, false })
                {
                    var options = new ParquetOptions { CompressionMethod = codec, CompressionLevel = CompressionLevel.Fastest };
                    if (!dictionary)
                    {
                        options.DictionaryEncodingThreshold = 0;
                    }

                    string path = Path.Combine(directory, "write-bench.parquet");
                    double best = double.MaxValue;
                    for (int pass = 0; pass < 3; pass++)
                    {
                        best = Math.Min(best, await WriteAsync(path, values, options));
                    }

                    long bytes = new FileInfo(path).Length;
                    Console.WriteLine(Invariant(
                        $"  | {codec} | {(dictionary ? "on (default)" : "off")} | {bytes / 1e6:0.0} MB | {bytes / (values.Length * 4.0):0.000} | {best:0.000} s | {values.Length * 4 / 1e6 / best:0} |"));
                }
            }
        }

        return 0;
    }

    private static float[] Values(double padding)
    {
        var values = new float[(long)Rows * RowFloats];
        var random = new Random(12);
        for (int row = 0; row < Rows; row++)
        {
            int valid = (int)(RowFloats * (1 - padding) * (0.5 + random.NextDouble())); // lengths vary around the mean
            for (int k = 0; k < Math.Min(valid, RowFloats); k++)
            {
                values[(long)row * RowFloats + k] = MathF.Tanh((float)(Workload.Mix((ulong)row * 65536 + (ulong)k) % 20000) / 5000f - 2f);
            }
        }

        return values;
    }

    private static async Task<double> WriteAsync(string path, float[] values, ParquetOptions options)
    {
        var field = new DataField<float>("element", nullable: false);
        var schema = new ParquetSchema(new ListField("output", field));
        int groupFloats = RowGroupRows * RowFloats;
        var definition = new int[groupFloats];
        var repetition = new int[groupFloats];
        Array.Fill(definition, 1);
        for (int i = 0; i < groupFloats; i++)
        {
            repetition[i] = i % RowFloats == 0 ? 0 : 1;
        }

        var clock = Stopwatch.StartNew();
        await using (var stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 20))
        await using (var writer = await ParquetWriter.CreateAsync(schema, stream, options))
        {
            for (int first = 0; first < Rows; first += RowGroupRows)
            {
                int count = Math.Min(RowGroupRows, Rows - first) * RowFloats;
                using var group = writer.CreateRowGroup();
                await group.WriteAllPartsAsync<float>(field, values.AsMemory(first * RowFloats, count), definition.AsMemory(0, count),
                    repetition.AsMemory(0, count), CancellationToken.None);
            }
        }

        return clock.Elapsed.TotalSeconds;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
