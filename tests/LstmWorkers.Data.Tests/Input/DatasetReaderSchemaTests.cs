using LstmWorkers.Data.Input;
using LstmWorkers.Data.Tests.Support;
using static LstmWorkers.Data.Tests.Support.TestParquet;

namespace LstmWorkers.Data.Tests.Input;

/// <summary>Column choice, accepted types and the same-schema check across files.</summary>
public sealed class DatasetReaderSchemaTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Open_defaults_to_id_and_tokens_columns()
    {
        string file = await WriteTokensAsync(_dir.File("a.parquet"), [Row(1), Row(2, 3)]);

        await using DatasetReader reader = await DatasetReader.OpenAsync(file, new());

        Assert.Equal(new DatasetSchema("id", IdKind.Int64, true, "tokens", SequenceKind.TokenIds, 2), reader.Schema);
        Assert.Equal([file], reader.Files);
    }

    [Fact]
    public async Task Open_prefers_tokens_over_features()
    {
        string file = await WriteAsync(_dir.File("a.parquet"), [
            TestColumn.List<float>("features", [[1f]]),
            TestColumn.List<int>("tokens", [[1]]),
        ]);

        await using DatasetReader reader = await DatasetReader.OpenAsync(file, new());

        Assert.Equal(("tokens", SequenceKind.TokenIds), (reader.Schema.SequenceColumn, reader.Schema.SequenceKind));
    }

    [Fact]
    public async Task Open_uses_named_columns()
    {
        string file = await WriteAsync(_dir.File("a.parquet"), [
            TestColumn.String("key", ["x"], nullable: false),
            TestColumn.Nested<double>("x", [[[1.0, 2.0]]]),
        ]);

        await using DatasetReader reader = await DatasetReader.OpenAsync(file, new() { IdColumn = "key", SequenceColumn = "x", InputSize = 2 });

        Assert.Equal(new DatasetSchema("key", IdKind.String, false, "x", SequenceKind.NestedFeatures, 1), reader.Schema);
    }

    [Fact]
    public async Task Open_without_sequence_column_names_the_columns_found()
    {
        string file = await WriteAsync(_dir.File("a.parquet"), [TestColumn.Int64("id", [1]), TestColumn.List<int>("seq", [[1]])]);

        var error = await Assert.ThrowsAsync<InputDataException>(() => DatasetReader.OpenAsync(file, new()));

        Assert.Equal($"{file}: no sequence column: neither 'tokens' nor 'features' is present (name it explicitly); columns found: id, seq", error.Message);
    }

    [Fact]
    public async Task Open_with_missing_named_sequence_column_is_rejected()
    {
        string file = await WriteTokensAsync(_dir.File("a.parquet"), [Row(1)]);

        var error = await Assert.ThrowsAsync<InputDataException>(() => DatasetReader.OpenAsync(file, new() { SequenceColumn = "feats" }));

        Assert.Equal($"{file}: column 'feats': the column is missing; columns found: id, tokens", error.Message);
    }

    [Fact]
    public async Task Open_with_explicit_id_column_absent_is_rejected()
    {
        string file = await WriteTokensAsync(_dir.File("a.parquet"), [Row(1)]);

        var error = await Assert.ThrowsAsync<InputDataException>(() => DatasetReader.OpenAsync(file, new() { IdColumn = "key" }));

        Assert.Equal($"{file}: column 'key': the id column is missing; columns found: id, tokens", error.Message);
    }

    [Fact]
    public async Task Open_with_unsupported_sequence_type_names_found_and_accepted_types()
    {
        string file = await WriteAsync(_dir.File("a.parquet"), [TestColumn.List<short>("tokens", [[1]])]);

        var error = await Assert.ThrowsAsync<InputDataException>(() => DatasetReader.OpenAsync(file, new()));

        Assert.Equal("tokens", error.Column);
        Assert.Equal("unsupported type list<int16>; accepted: list<int32>, list<int64> (token ids), list<float>, list<double>, " +
            "list<list<float>>, list<list<double>> (features)", error.Detail);
    }

    [Fact]
    public async Task Open_with_plain_value_as_sequence_is_rejected()
    {
        string file = await WriteAsync(_dir.File("a.parquet"), [TestColumn.Int64("tokens", [1])]);

        var error = await Assert.ThrowsAsync<InputDataException>(() => DatasetReader.OpenAsync(file, new()));

        Assert.StartsWith("unsupported type int64; accepted:", error.Detail);
    }

    [Fact]
    public async Task Open_with_unsupported_id_type_names_found_and_accepted_types()
    {
        string file = await WriteAsync(_dir.File("a.parquet"), [TestColumn.Double("id", [1.5]), TestColumn.List<int>("tokens", [[1]])]);

        var error = await Assert.ThrowsAsync<InputDataException>(() => DatasetReader.OpenAsync(file, new()));

        Assert.Equal($"{file}: column 'id': unsupported id type double; accepted: int64, int32, string", error.Message);
    }

    [Fact]
    public async Task Open_features_without_input_size_is_an_argument_error()
    {
        string file = await WriteAsync(_dir.File("a.parquet"), [TestColumn.List<float>("features", [[1f]])]);

        await Assert.ThrowsAsync<ArgumentException>(() => DatasetReader.OpenAsync(file, new()));
    }

    [Fact]
    public async Task Open_files_with_different_sequence_kinds_is_rejected()
    {
        await WriteAsync(_dir.File("a.parquet"), [TestColumn.List<int>("x", [[1]])]);
        string b = await WriteAsync(_dir.File("b.parquet"), [TestColumn.List<float>("x", [[1f]])]);

        var error = await Assert.ThrowsAsync<InputDataException>(() => DatasetReader.OpenAsync(_dir.Path, new() { SequenceColumn = "x", InputSize = 1 }));

        Assert.Equal(b, error.File);
        Assert.Contains("list<float> here but list<int32> in", error.Detail);
    }

    [Fact]
    public async Task Open_files_with_different_id_types_is_rejected()
    {
        await WriteAsync(_dir.File("a.parquet"), [TestColumn.Int64("id", [1]), TestColumn.List<int>("tokens", [[1]])]);
        await WriteAsync(_dir.File("b.parquet"), [TestColumn.String("id", ["x"]), TestColumn.List<int>("tokens", [[1]])]);

        var error = await Assert.ThrowsAsync<InputDataException>(() => DatasetReader.OpenAsync(_dir.Path, new()));

        Assert.Contains("string here but int64 in", error.Detail);
    }

    [Fact]
    public async Task Open_later_file_without_the_id_column_is_rejected()
    {
        await WriteTokensAsync(_dir.File("a.parquet"), [Row(1)]);
        string b = await WriteAsync(_dir.File("b.parquet"), [TestColumn.List<long>("tokens", [[1]])]);

        var error = await Assert.ThrowsAsync<InputDataException>(() => DatasetReader.OpenAsync(_dir.Path, new()));

        Assert.Equal((b, "id"), (error.File, error.Column));
    }

    [Fact]
    public async Task Open_accepts_int32_and_int64_token_files_together()
    {
        await WriteAsync(_dir.File("a.parquet"), [TestColumn.List<int>("tokens", [[1, 2]])]);
        await WriteAsync(_dir.File("b.parquet"), [TestColumn.List<long>("tokens", [[3]])]);

        List<RowChunk> chunks = await Chunks.ReadAllAsync(_dir.Path, new());

        Assert.Equal([[1, 2], [3]], Chunks.AllTokens(chunks));
    }

    [Fact]
    public async Task Open_not_a_parquet_file_is_rejected()
    {
        string file = _dir.File("a.parquet");
        await File.WriteAllTextAsync(file, "this is not parquet at all");

        var error = await Assert.ThrowsAsync<InputDataException>(() => DatasetReader.OpenAsync(file, new()));

        Assert.Equal(file, error.File);
        Assert.StartsWith("not a readable Parquet file", error.Detail);
    }

    [Fact]
    public async Task Open_invalid_options_are_argument_errors()
    {
        string file = await WriteTokensAsync(_dir.File("a.parquet"), [Row(1)]);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => DatasetReader.OpenAsync(file, new() { ChunkRows = 0 }));
        await Assert.ThrowsAsync<ArgumentException>(() => DatasetReader.OpenAsync(file, new() { IdColumn = "tokens" }));
    }
}
