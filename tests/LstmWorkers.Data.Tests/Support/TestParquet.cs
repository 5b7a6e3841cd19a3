using Parquet;
using Parquet.Schema;

namespace LstmWorkers.Data.Tests.Support;

/// <summary>Writes test input files with Parquet.Net (the "Parquet.Net writer" of the interoperability matrix).</summary>
public static class TestParquet
{
    /// <summary>Writes <paramref name="columns"/> (same row count) in row groups of <paramref name="rowGroupSize"/> rows.</summary>
    public static async Task<string> WriteAsync(string path, IReadOnlyList<TestColumn> columns, int rowGroupSize = int.MaxValue,
        CompressionMethod compression = CompressionMethod.Snappy)
    {
        int rows = columns[0].RowCount;
        if (columns.Any(c => c.RowCount != rows))
        {
            throw new ArgumentException("Columns differ in length.", nameof(columns));
        }
        var schema = new ParquetSchema(columns.Select(c => c.Field).ToArray());
        await using FileStream stream = File.Create(path);
        await using ParquetWriter writer = await ParquetWriter.CreateAsync(schema, stream,
            new ParquetOptions { CompressionMethod = compression });
        for (int start = 0; start < rows || (rows == 0 && start == 0); start += Math.Max(1, rowGroupSize))
        {
            int count = Math.Min(rowGroupSize, rows - start);
            using ParquetRowGroupWriter group = writer.CreateRowGroup();
            foreach (TestColumn column in columns)
            {
                await column.WriteAsync(group, start, count);
            }
            if (rows == 0)
            {
                break;
            }
        }
        return path;
    }

    /// <summary>A file with an int64 <c>id</c> (1000 + row) and <c>tokens</c> list&lt;int64&gt;.</summary>
    public static Task<string> WriteTokensAsync(string path, IReadOnlyList<long?[]?> rows, int rowGroupSize = int.MaxValue, long firstId = 1000) =>
        WriteAsync(path, [
            TestColumn.Int64("id", Enumerable.Range(0, rows.Count).Select(i => (long?)(firstId + i)).ToArray()),
            TestColumn.List("tokens", rows),
        ], rowGroupSize);

    public static long?[] Row(params long[] tokens) => tokens.Select(t => (long?)t).ToArray();

    public static float?[] Values(params float[] values) => values.Select(t => (float?)t).ToArray();
}
