using LstmWorkers.Data.Input;
using LstmWorkers.Data.Tests.Support;
using static LstmWorkers.Data.Tests.Support.TestParquet;

namespace LstmWorkers.Data.Tests.Input;

/// <summary>Every rejection of contract §4 names the file, the global row, the id, the column and what is wrong.</summary>
public sealed class DatasetReaderRejectionTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static async Task<InputDataException> ScanErrorAsync(string input, DatasetReadOptions options)
    {
        await using DatasetReader reader = await DatasetReader.OpenAsync(input, options);
        return await Assert.ThrowsAsync<InputDataException>(() => reader.ScanAsync());
    }

    private static Task<InputDataException> ReadErrorAsync(string input, DatasetReadOptions options) =>
        Assert.ThrowsAsync<InputDataException>(() => Chunks.ReadAllAsync(input, options));

    [Fact]
    public async Task Null_sequence_is_rejected_with_full_location()
    {
        string file = await WriteTokensAsync(_dir.File("a.parquet"), [Row(1), Row(2), null]);

        InputDataException error = await ScanErrorAsync(file, new());

        Assert.Equal($"{file}: row 2 (id 1002), column 'tokens': the sequence is null", error.Message);
        Assert.Equal((file, 2L, "1002", "tokens"), (error.File, error.Row, error.Id, error.Column));
    }

    [Fact]
    public async Task Null_element_is_rejected()
    {
        string file = await WriteTokensAsync(_dir.File("a.parquet"), [Row(1, 2), [3, null, 4]]);

        InputDataException error = await ReadErrorAsync(file, new());

        Assert.Equal($"{file}: row 1 (id 1001), column 'tokens': the list holds a null at time step 1", error.Message);
    }

    [Fact]
    public async Task Token_outside_vocabulary_says_the_value_and_the_vocabulary_size()
    {
        string file = await WriteTokensAsync(_dir.File("a.parquet"), [Row(1, 49), Row(3, 50, 2)]);

        InputDataException error = await ScanErrorAsync(file, new() { VocabSize = 50 });

        Assert.Equal($"{file}: row 1 (id 1001), column 'tokens': token id 50 at time step 1 is outside [0, 50)", error.Message);
    }

    [Fact]
    public async Task Negative_token_is_rejected_without_a_vocabulary()
    {
        string file = await WriteTokensAsync(_dir.File("a.parquet"), [Row(-1)]);

        InputDataException error = await ScanErrorAsync(file, new());

        Assert.Equal("token id -1 at time step 0 is negative", error.Detail);
    }

    [Fact]
    public async Task Token_beyond_int32_is_rejected()
    {
        string file = await WriteTokensAsync(_dir.File("a.parquet"), [Row(1L << 31)]);

        InputDataException error = await ReadErrorAsync(file, new());

        Assert.Equal("token id 2147483648 at time step 0 does not fit in int32", error.Detail);
    }

    [Fact]
    public async Task Int32_token_outside_vocabulary_is_rejected()
    {
        string file = await WriteAsync(_dir.File("a.parquet"), [TestColumn.List<int>("tokens", [[1, 2], [7]])]);

        InputDataException error = await ScanErrorAsync(file, new() { VocabSize = 7 });

        Assert.Equal($"{file}: row 1, column 'tokens': token id 7 at time step 0 is outside [0, 7)", error.Message);
    }

    [Fact]
    public async Task Flat_feature_length_not_a_multiple_of_input_size_says_both()
    {
        string file = await WriteAsync(_dir.File("a.parquet"), [
            TestColumn.String("id", ["a", "b"]),
            TestColumn.List("features", [Values(1, 2, 3), Values(1, 2, 3, 4, 5, 6, 7)]),
        ]);

        InputDataException error = await ScanErrorAsync(file, new() { InputSize = 3 });

        Assert.Equal($"{file}: row 1 (id \"b\"), column 'features': the feature list has 7 values, not a multiple of input_size 3", error.Message);
    }

    [Fact]
    public async Task Nested_inner_list_of_wrong_size_names_the_step()
    {
        string file = await WriteAsync(_dir.File("a.parquet"), [
            TestColumn.Nested<float>("features", [[Values(1, 2, 3)], [Values(1, 2, 3), Values(4, 5), Values(6, 7, 8)]]),
        ]);

        InputDataException error = await ScanErrorAsync(file, new() { InputSize = 3 });

        Assert.Equal((1L, "time step 1 has 2 features; input_size is 3"), (error.Row, error.Detail));
    }

    [Fact]
    public async Task Nested_inner_list_too_long_is_rejected()
    {
        string file = await WriteAsync(_dir.File("a.parquet"), [
            TestColumn.Nested<float>("features", [[Values(1, 2, 3, 4), Values(1, 2)]]),
        ]);

        InputDataException error = await ReadErrorAsync(file, new() { InputSize = 3 });

        Assert.Equal("time step 0 has 4 features; input_size is 3", error.Detail);
    }

    [Theory]
    [InlineData(0, "time step 1 is null")]
    [InlineData(1, "time step 1 has 0 features; input_size is 2")]
    [InlineData(2, "time step 1 holds a null feature")]
    public async Task Nested_null_or_empty_step_or_null_value_is_rejected(int variant, string expected)
    {
        float?[]? step = variant switch { 0 => null, 1 => [], _ => [1f, null] };
        string file = await WriteAsync(_dir.File("a.parquet"), [
            TestColumn.Nested<float>("features", [[Values(1, 2), step]]),
        ]);

        InputDataException error = await ScanErrorAsync(file, new() { InputSize = 2 });

        Assert.Equal((0L, expected), (error.Row, error.Detail));
    }

    [Fact]
    public async Task Infinite_double_feature_is_rejected_unless_allowed()
    {
        string file = await WriteAsync(_dir.File("a.parquet"), [
            TestColumn.List<double>("features", [[1, 2], [3, double.PositiveInfinity]]),
        ]);

        InputDataException error = await ScanErrorAsync(file, new() { InputSize = 2 });
        List<RowChunk> allowed = await Chunks.ReadAllAsync(file, new() { InputSize = 2, AllowNonFinite = true });

        Assert.Equal("feature value Infinity at time step 0, feature 1 is not finite", error.Detail);
        Assert.Equal(float.PositiveInfinity, allowed.Single().Features![3]);
    }

    [Fact]
    public async Task Double_feature_too_large_for_float_is_rejected()
    {
        string file = await WriteAsync(_dir.File("a.parquet"), [TestColumn.List<double>("features", [[1e300]])]);

        InputDataException error = await ScanErrorAsync(file, new() { InputSize = 1 });

        Assert.Equal("feature value 1E+300 at time step 0, feature 0 does not fit in float32", error.Detail);
    }

    [Fact]
    public async Task Sequence_longer_than_max_length_is_rejected_without_truncate()
    {
        string file = await WriteTokensAsync(_dir.File("a.parquet"), [Row(1, 2, 3, 4), Row(1, 2, 3, 4, 5)]);

        InputDataException error = await ScanErrorAsync(file, new() { MaxLength = 4 });

        Assert.Equal($"{file}: row 1 (id 1001), column 'tokens': the sequence has 5 time steps, more than the total length 4 (raise --total-length, or pass --truncate to cut it)", error.Message);
    }

    [Fact]
    public async Task Earliest_bad_row_wins_over_a_later_structural_problem()
    {
        string file = await WriteTokensAsync(_dir.File("a.parquet"), [Row(1), Row(99), null]);

        InputDataException error = await ScanErrorAsync(file, new() { VocabSize = 10 });

        Assert.Equal(1, error.Row);
    }

    [Fact]
    public async Task Earliest_bad_row_wins_over_a_later_bad_value()
    {
        string file = await WriteTokensAsync(_dir.File("a.parquet"), [Row(1), null, Row(99)]);

        InputDataException error = await ScanErrorAsync(file, new() { VocabSize = 10 });

        Assert.Equal((1L, "the sequence is null"), (error.Row, error.Detail));
    }

    [Fact]
    public async Task Bad_row_in_a_later_row_group_and_file_has_its_global_row_number()
    {
        Directory.CreateDirectory(_dir.File("data"));
        await WriteTokensAsync(_dir.File("data/part-0.parquet"), [Row(1), Row(2), Row(3)], rowGroupSize: 2);
        string second = await WriteTokensAsync(_dir.File("data/part-1.parquet"), [Row(1), Row(2), Row(3), Row(-5), Row(4)], rowGroupSize: 2, firstId: 2000);

        InputDataException scan = await ScanErrorAsync(_dir.File("data"), new());
        InputDataException read = await ReadErrorAsync(_dir.File("data"), new() { ChunkRows = 2 });

        Assert.Equal($"{second}: row 6 (id 2003), column 'tokens': token id -5 at time step 0 is negative", scan.Message);
        Assert.Equal(scan.Message, read.Message);
    }

    [Fact]
    public async Task Read_delivers_the_rows_before_the_bad_one()
    {
        string file = await WriteTokensAsync(_dir.File("a.parquet"), [Row(1), Row(2), Row(3), null, Row(5)]);
        var seen = new List<long>();
        await using DatasetReader reader = await DatasetReader.OpenAsync(file, new() { ChunkRows = 2 });

        await Assert.ThrowsAsync<InputDataException>(async () =>
        {
            await foreach (RowChunk chunk in reader.ReadAsync())
            {
                seen.Add(chunk.FirstRow);
            }
        });

        Assert.Equal([0L], seen);
    }

    [Fact]
    public async Task Row_numbered_dataset_names_no_id()
    {
        string file = await WriteAsync(_dir.File("a.parquet"), [TestColumn.List<long>("tokens", [[1], null])]);

        InputDataException error = await ScanErrorAsync(file, new());

        Assert.Equal($"{file}: row 1, column 'tokens': the sequence is null", error.Message);
        Assert.Null(error.Id);
    }

    [Fact]
    public async Task Null_id_is_named_null_in_a_rejection()
    {
        string file = await WriteAsync(_dir.File("a.parquet"), [
            TestColumn.Int64("id", [7, null]),
            TestColumn.List<long>("tokens", [[1], null]),
        ]);

        InputDataException error = await ScanErrorAsync(file, new());

        Assert.Equal("null", error.Id);
    }
}
