using LstmWorkers.Data.Input;
using LstmWorkers.Data.Tests.Support;
using Parquet;
using static LstmWorkers.Data.Tests.Support.TestParquet;

namespace LstmWorkers.Data.Tests.Input;

/// <summary>Reading valid data written by Parquet.Net: layouts, codecs, chunking, truncation, statistics.</summary>
public sealed class DatasetReaderReadTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static long?[][] SampleRows(int count) =>
        Enumerable.Range(0, count).Select(i => Fixtures.Tokens(i, i % 5).Select(t => (long?)t).ToArray()).ToArray();

    [Theory]
    [InlineData(CompressionMethod.None)]
    [InlineData(CompressionMethod.Snappy)]
    [InlineData(CompressionMethod.Gzip)]
    [InlineData(CompressionMethod.Zstd)]
    public async Task Read_parquetnet_codecs_give_the_same_rows(CompressionMethod codec)
    {
        long?[][] rows = SampleRows(30);
        string file = await WriteAsync(_dir.File("a.parquet"), [
            TestColumn.Int64("id", Enumerable.Range(0, 30).Select(i => (long?)i * 10).ToArray(), nullable: false),
            TestColumn.List("tokens", rows, elementNullable: false),
        ], rowGroupSize: 8, compression: codec);

        List<RowChunk> chunks = await Chunks.ReadAllAsync(file, new());

        Assert.Equal(rows.Select(r => r.Select(t => (int)t!.Value).ToArray()), Chunks.AllTokens(chunks));
        Assert.Equal(Enumerable.Range(0, 30).Select(i => i * 10L), chunks.SelectMany(c => c.Ids.Int64!));
        Assert.False(chunks.Single().Ids.HasNulls);
    }

    [Fact]
    public async Task Read_legacy_repeated_field_gives_token_ids()
    {
        string file = await WriteAsync(_dir.File("a.parquet"), [
            TestColumn.Int32("id", [1, 2, 3], nullable: false),
            TestColumn.Repeated<int>("tokens", [[5, 6], [], [7]]),
        ]);

        await using DatasetReader reader = await DatasetReader.OpenAsync(file, new());
        List<RowChunk> chunks = await Chunks.ReadAllAsync(reader);

        Assert.Equal((IdKind.Int32, false), (reader.Schema.IdKind, reader.Schema.IdNullable));
        Assert.Equal([[5, 6], [], [7]], Chunks.AllTokens(chunks));
    }

    [Fact]
    public async Task Read_chunks_never_span_files_and_row_numbers_continue_across_files()
    {
        Directory.CreateDirectory(_dir.File("d"));
        await WriteAsync(_dir.File("d/a.parquet"), [TestColumn.List("tokens", SampleRows(5))], rowGroupSize: 2);
        await WriteAsync(_dir.File("d/b.parquet"), [TestColumn.List("tokens", SampleRows(4))], rowGroupSize: 3);

        List<RowChunk> chunks = await Chunks.ReadAllAsync(_dir.File("d"), new() { ChunkRows = 3 });

        Assert.Equal([(0L, 3, "a.parquet"), (3L, 2, "a.parquet"), (5L, 3, "b.parquet"), (8L, 1, "b.parquet")],
            chunks.Select(c => (c.FirstRow, c.Count, Path.GetFileName(c.File))));
        Assert.Equal(Enumerable.Range(0, 9).Select(i => (long)i), chunks.SelectMany(c => c.Ids.Int64!));
        Assert.Equal(IdKind.RowNumber, chunks[0].Ids.Kind);
    }

    [Fact]
    public async Task Read_chunk_slices_a_large_row_group()
    {
        string file = await WriteTokensAsync(_dir.File("a.parquet"), SampleRows(10));

        List<RowChunk> chunks = await Chunks.ReadAllAsync(file, new() { ChunkRows = 4 });

        Assert.Equal([4, 4, 2], chunks.Select(c => c.Count));
        Assert.Equal(SampleRows(10).Select(r => r.Select(t => (int)t!.Value).ToArray()), Chunks.AllTokens(chunks));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (1000 + i).ToString()), Chunks.AllIds(chunks));
    }

    [Fact]
    public async Task Read_chunks_hold_at_most_chunk_steps_or_one_longer_row()
    {
        long?[][] rows = [.. new[] { 3, 4, 1, 6, 2 }.Select(length => Enumerable.Range(0, length).Select(t => (long?)t).ToArray())];
        string file = await WriteTokensAsync(_dir.File("a.parquet"), rows, rowGroupSize: 2);

        List<RowChunk> chunks = await Chunks.ReadAllAsync(file, new() { ChunkSteps = 5 });

        Assert.Equal([[3], [4, 1], [6], [2]], chunks.Select(c => c.Lengths));
    }

    [Theory]
    [InlineData(10, 4)] // every chunk a slice of one row group, appended in one piece
    [InlineData(4, 4)]  // a chunk is a whole row group
    [InlineData(3, 4)]  // chunks gathered from two row groups
    [InlineData(2, 5)]
    public async Task Read_chunks_keep_their_own_features_whatever_the_row_groups(int rowGroupSize, int chunkRows)
    {
        float?[][] Row(int row) => Enumerable.Range(0, row % 4).Select(step => Fixtures.Features(row, 1, 3).Select(v => (float?)(v + step)).ToArray()).ToArray();
        string file = await WriteAsync(_dir.File("a.parquet"), [
            TestColumn.Nested<float>("features", Enumerable.Range(0, 10).Select(Row).ToArray(), elementNullable: false),
        ], rowGroupSize: rowGroupSize);

        List<RowChunk> chunks = await Chunks.ReadAllAsync(file, new() { InputSize = 3, ChunkRows = chunkRows }); // all read, then looked at

        Assert.Equal(Enumerable.Range(0, 10).Select(row => Row(row).SelectMany(step => step).Select(v => v!.Value).ToArray()),
            chunks.SelectMany(c => Enumerable.Range(0, c.Count).Select(i => Chunks.FeaturesOf(c, i))));
    }

    [Fact]
    public async Task Read_offsets_are_cumulative_lengths()
    {
        string file = await WriteTokensAsync(_dir.File("a.parquet"), [Row(1, 2), Row(), Row(3, 4, 5)]);

        RowChunk chunk = (await Chunks.ReadAllAsync(file, new())).Single();

        Assert.Equal([2, 0, 3], chunk.Lengths);
        Assert.Equal([0, 2, 2, 5], chunk.Offsets);
        Assert.Equal([1, 2, 3, 4, 5], Chunks.TokenValues(chunk));
        Assert.Null(chunk.Features);
    }

    [Fact]
    public async Task Read_truncates_long_rows_to_max_length()
    {
        string file = await WriteTokensAsync(_dir.File("a.parquet"), [Row(1, 2, 3, 4, 5), Row(6), Row(7, 8, 9)]);
        var options = new DatasetReadOptions { MaxLength = 2, Truncate = true };

        List<RowChunk> chunks = await Chunks.ReadAllAsync(file, options);
        await using DatasetReader reader = await DatasetReader.OpenAsync(file, options);
        DatasetStats stats = await reader.ScanAsync();

        Assert.Equal([[1, 2], [6], [7, 8]], Chunks.AllTokens(chunks));
        Assert.Equal(new DatasetStats(3, 5, 2), stats);
    }

    [Fact]
    public async Task Read_truncates_nested_features_by_time_steps()
    {
        string file = await WriteAsync(_dir.File("a.parquet"), [
            TestColumn.Nested<float>("features", [[Values(1, 2), Values(3, 4), Values(5, 6)], [Values(7, 8)]]),
        ]);

        RowChunk chunk = (await Chunks.ReadAllAsync(file, new() { InputSize = 2, MaxLength = 2, Truncate = true })).Single();

        Assert.Equal([2, 1], chunk.Lengths);
        Assert.Equal([1f, 2, 3, 4, 7, 8], Chunks.FeatureValues(chunk));
        Assert.Equal(2, chunk.InputSize);
    }

    [Fact]
    public async Task Truncation_still_validates_the_cut_part()
    {
        string file = await WriteTokensAsync(_dir.File("a.parquet"), [Row(1, 2, 99)]);

        var error = await Assert.ThrowsAsync<InputDataException>(() =>
            Chunks.ReadAllAsync(file, new() { MaxLength = 2, Truncate = true, VocabSize = 10 }));

        Assert.Equal("token id 99 at time step 2 is outside [0, 10)", error.Detail);
    }

    [Fact]
    public async Task Scan_counts_rows_time_steps_and_longest_row()
    {
        string file = await WriteTokensAsync(_dir.File("a.parquet"), SampleRows(12), rowGroupSize: 5);

        await using DatasetReader reader = await DatasetReader.OpenAsync(file, new());
        DatasetStats stats = await reader.ScanAsync();

        Assert.Equal(new DatasetStats(12, SampleRows(12).Sum(r => r.Length), 4), stats);
    }

    [Fact]
    public async Task Read_flat_double_features_are_converted_to_float()
    {
        string file = await WriteAsync(_dir.File("a.parquet"), [
            TestColumn.List<double>("features", [[0.1, 0.2, 0.3, 0.4], []], elementNullable: false),
        ]);

        RowChunk chunk = (await Chunks.ReadAllAsync(file, new() { InputSize = 2 })).Single();

        Assert.Equal([2, 0], chunk.Lengths);
        Assert.Equal([0.1f, 0.2f, 0.3f, 0.4f], Chunks.FeatureValues(chunk));
    }

    [Fact]
    public async Task Read_nested_features_are_time_major()
    {
        string file = await WriteAsync(_dir.File("a.parquet"), [
            TestColumn.Int64("id", [5, 6]),
            TestColumn.Nested<float>("features", [[Values(1, 2, 3), Values(4, 5, 6)], []], elementNullable: false),
        ]);

        RowChunk chunk = (await Chunks.ReadAllAsync(file, new() { InputSize = 3 })).Single();

        Assert.Equal([1f, 2, 3, 4, 5, 6], Chunks.FeatureValues(chunk));
        Assert.Equal([0, 2, 2], chunk.Offsets);
    }

    [Fact]
    public async Task Read_string_and_null_ids_from_parquetnet()
    {
        string file = await WriteAsync(_dir.File("a.parquet"), [
            TestColumn.String("id", ["x", null, "z"]),
            TestColumn.List<int>("tokens", [[1], [2], [3]]),
        ]);

        List<RowChunk> chunks = await Chunks.ReadAllAsync(file, new() { ChunkRows = 2 });
        IdValues ids = IdValues.Concat(chunks.Select(c => c.Ids).ToList());

        Assert.Equal(new string?[] { "x", null, "z" }.AsEnumerable(), ids.Strings!.AsEnumerable());
        Assert.Equal([false, true, false], ids.Nulls!);
    }

    [Fact]
    public async Task Read_file_without_rows_gives_no_chunks()
    {
        string file = await WriteTokensAsync(_dir.File("a.parquet"), []);

        await using DatasetReader reader = await DatasetReader.OpenAsync(file, new());
        List<RowChunk> chunks = await Chunks.ReadAllAsync(reader);
        DatasetStats stats = await reader.ScanAsync();

        Assert.Empty(chunks);
        Assert.Equal(new DatasetStats(0, 0, 0), stats);
        Assert.Equal(0, reader.Schema.RowCount);
    }

    [Fact]
    public async Task Read_can_run_twice_and_alongside_a_scan()
    {
        string file = await WriteTokensAsync(_dir.File("a.parquet"), SampleRows(20), rowGroupSize: 6);
        await using DatasetReader reader = await DatasetReader.OpenAsync(file, new() { ChunkRows = 5 });

        Task<List<RowChunk>> first = Chunks.ReadAllAsync(reader);
        Task<DatasetStats> scan = reader.ScanAsync();
        List<RowChunk> second = await Chunks.ReadAllAsync(reader);

        Assert.Equal(Chunks.AllTokens(await first), Chunks.AllTokens(second));
        Assert.Equal(20, (await scan).Rows);
    }

    [Fact]
    public async Task Read_honours_cancellation()
    {
        string file = await WriteTokensAsync(_dir.File("a.parquet"), SampleRows(20), rowGroupSize: 6);
        await using DatasetReader reader = await DatasetReader.OpenAsync(file, new() { ChunkRows = 5 });
        using var cts = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (RowChunk _ in reader.ReadAsync(cts.Token))
            {
                cts.Cancel();
            }
        });
    }
}
