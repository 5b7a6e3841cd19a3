using LstmWorkers.Data.Input;
using LstmWorkers.Data.Tests.Support;

namespace LstmWorkers.Data.Tests.Input;

/// <summary>
/// Files written by DuckDB (tests/fixtures/parquet/write_duckdb_fixtures.mjs): every column OPTIONAL, 3-level lists
/// with OPTIONAL elements, several codecs and row-group layouts. Values follow the formulas in <see cref="Fixtures"/>.
/// </summary>
public sealed class DuckDbFixtureTests
{
    private static readonly DatasetReadOptions Tokens = new();
    private static readonly DatasetReadOptions Features3 = new() { InputSize = 3 };

    [Fact]
    public async Task Read_duckdb_zstd_row_groups_preserves_row_order()
    {
        List<RowChunk> chunks = await Chunks.ReadAllAsync(Fixtures.Parquet("tokens_int64_zstd_rowgroups.duckdb.parquet"), Tokens);

        RowChunk chunk = Assert.Single(chunks);
        Assert.Equal(25, chunk.Count);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => (1000L + i).ToString()), Chunks.AllIds(chunks));
        for (int i = 0; i < 25; i++)
        {
            Assert.Equal(Fixtures.Tokens(i, 1 + i % 4), Chunks.TokensOf(chunk, i));
        }
    }

    [Fact]
    public async Task Read_duckdb_row_groups_with_small_chunks_spans_groups_in_order()
    {
        List<RowChunk> chunks = await Chunks.ReadAllAsync(Fixtures.Parquet("tokens_int64_zstd_rowgroups.duckdb.parquet"), Tokens with { ChunkRows = 7 });

        Assert.Equal([7, 7, 7, 4], chunks.Select(c => c.Count));
        Assert.Equal([0L, 7, 14, 21], chunks.Select(c => c.FirstRow));
        Assert.Equal(Enumerable.Range(0, 25).Select(i => Fixtures.Tokens(i, 1 + i % 4)), Chunks.AllTokens(chunks));
    }

    [Fact]
    public async Task Read_duckdb_int32_gzip_gives_int32_ids()
    {
        await using DatasetReader reader = await DatasetReader.OpenAsync(Fixtures.Parquet("tokens_int32_gzip.duckdb.parquet"), Tokens);
        List<RowChunk> chunks = await Chunks.ReadAllAsync(reader);

        Assert.Equal(IdKind.Int32, reader.Schema.IdKind);
        Assert.True(reader.Schema.IdNullable);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => 1000 + i), chunks.SelectMany(c => c.Ids.Int32!));
        Assert.Equal(Enumerable.Range(0, 12).Select(i => Fixtures.Tokens(i, 1 + i % 4)), Chunks.AllTokens(chunks));
    }

    [Fact]
    public async Task Read_duckdb_uncompressed_without_id_numbers_rows()
    {
        await using DatasetReader reader = await DatasetReader.OpenAsync(Fixtures.Parquet("tokens_int32_uncompressed_noid.duckdb.parquet"), Tokens);
        List<RowChunk> chunks = await Chunks.ReadAllAsync(reader);

        Assert.Equal(new DatasetSchema("id", IdKind.RowNumber, false, "tokens", SequenceKind.TokenIds, 12), reader.Schema);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)i), chunks.SelectMany(c => c.Ids.Int64!));
        Assert.Equal(Enumerable.Range(0, 12).Select(i => Fixtures.Tokens(i, 1 + i % 4)), Chunks.AllTokens(chunks));
    }

    [Fact]
    public async Task Read_duckdb_empty_lists_gives_zero_lengths()
    {
        List<RowChunk> chunks = await Chunks.ReadAllAsync(Fixtures.Parquet("tokens_empty_lists.duckdb.parquet"), Tokens);

        Assert.Equal(Enumerable.Range(0, 9).Select(i => i % 3), chunks.Single().Lengths);
        Assert.Equal(Enumerable.Range(0, 9).Select(i => Fixtures.Tokens(i, i % 3)), Chunks.AllTokens(chunks));
    }

    [Fact]
    public async Task Read_duckdb_string_ids_snappy_keeps_strings()
    {
        await using DatasetReader reader = await DatasetReader.OpenAsync(Fixtures.Parquet("ids_string_snappy.duckdb.parquet"), Tokens);
        List<RowChunk> chunks = await Chunks.ReadAllAsync(reader);

        Assert.Equal(IdKind.String, reader.Schema.IdKind);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"row-{i}"), chunks.Single().Ids.Strings!);
    }

    [Fact]
    public async Task Read_duckdb_null_ids_are_carried_as_nulls()
    {
        List<RowChunk> chunks = await Chunks.ReadAllAsync(Fixtures.Parquet("ids_nulls.duckdb.parquet"), Tokens);

        IdValues ids = chunks.Single().Ids;
        Assert.Equal([false, true, false, false, true, false], ids.Nulls!);
        Assert.Equal(["1000", "null", "1002", "1003", "null", "1005"], Chunks.AllIds(chunks));
    }

    [Theory]
    [InlineData("features_flat_float.duckdb.parquet", SequenceKind.FlatFeatures, 7)]
    [InlineData("features_flat_double_zstd.duckdb.parquet", SequenceKind.FlatFeatures, 7)]
    [InlineData("features_nested_float.duckdb.parquet", SequenceKind.NestedFeatures, 7)]
    [InlineData("features_nested_double.duckdb.parquet", SequenceKind.NestedFeatures, 23)]
    public async Task Read_duckdb_features_gives_time_major_floats(string file, SequenceKind kind, int rows)
    {
        await using DatasetReader reader = await DatasetReader.OpenAsync(Fixtures.Parquet(file), Features3);
        List<RowChunk> chunks = await Chunks.ReadAllAsync(reader);

        Assert.Equal(kind, reader.Schema.SequenceKind);
        Assert.Equal("features", reader.Schema.SequenceColumn);
        RowChunk chunk = Assert.Single(chunks);
        Assert.Equal(rows, chunk.Count);
        for (int i = 0; i < rows; i++)
        {
            Assert.Equal(1 + i % 3, chunk.Lengths[i]);
            Assert.Equal(Fixtures.Features(i, 1 + i % 3, 3), Chunks.FeaturesOf(chunk, i));
        }
    }

    [Fact]
    public async Task Read_duckdb_directory_skips_success_marker_and_numbers_rows_across_parts()
    {
        await using DatasetReader reader = await DatasetReader.OpenAsync(Fixtures.Parquet("tokens_parts.duckdb"), Tokens);
        List<RowChunk> chunks = await Chunks.ReadAllAsync(reader);

        Assert.Equal(["part-00000.parquet", "part-00001.parquet"], reader.Files.Select(Path.GetFileName));
        Assert.Equal([0L, 5], chunks.Select(c => c.FirstRow));
        Assert.Equal([5, 7], chunks.Select(c => c.Count));
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (1000 + i).ToString()), Chunks.AllIds(chunks));
        Assert.Equal(Enumerable.Range(0, 12).Select(i => Fixtures.Tokens(i, 1 + i % 4)), Chunks.AllTokens(chunks));
    }

    [Fact]
    public async Task Scan_duckdb_null_sequence_names_file_row_id_and_column()
    {
        string file = Fixtures.Parquet("tokens_nulls.duckdb.parquet");
        await using DatasetReader reader = await DatasetReader.OpenAsync(file, Tokens);

        var error = await Assert.ThrowsAsync<InputDataException>(() => reader.ScanAsync(CancellationToken.None));

        Assert.Equal($"{file}: row 3 (id 1003), column 'tokens': the sequence is null", error.Message);
    }

    [Fact]
    public async Task Read_duckdb_null_element_is_rejected()
    {
        string file = Fixtures.Parquet("tokens_null_element.duckdb.parquet");

        var error = await Assert.ThrowsAsync<InputDataException>(() => Chunks.ReadAllAsync(file, Tokens));

        Assert.Equal(4, error.Row);
        Assert.Equal("1004", error.Id);
        Assert.Equal("the list holds a null at time step 1", error.Detail);
    }

    [Fact]
    public async Task Scan_duckdb_nan_feature_is_rejected_unless_allowed()
    {
        string file = Fixtures.Parquet("features_nonfinite.duckdb.parquet");
        await using DatasetReader strict = await DatasetReader.OpenAsync(file, Features3);
        await using DatasetReader lenient = await DatasetReader.OpenAsync(file, Features3 with { AllowNonFinite = true });

        var error = await Assert.ThrowsAsync<InputDataException>(() => strict.ScanAsync(CancellationToken.None));
        DatasetStats stats = await lenient.ScanAsync(CancellationToken.None);

        Assert.Equal($"{file}: row 2 (id 1002), column 'features': feature value NaN at time step 1, feature 0 is not finite", error.Message);
        Assert.Equal(new DatasetStats(4, 8, 2), stats);
    }
}
