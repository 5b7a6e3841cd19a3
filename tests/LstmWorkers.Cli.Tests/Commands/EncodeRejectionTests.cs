using LstmWorkers.Cli.Tests.Support;
using LstmWorkers.TestSupport;

namespace LstmWorkers.Cli.Tests.Commands;

/// <summary>
/// Contract §4: every bad input is refused with one line naming file, row, id and column, a
/// non-zero exit, and nothing left in the output directory (no result, no temporary file). Bad rows are
/// refused both by the first pass of a job that writes <c>output</c> and by a job that reads its input once.
/// </summary>
public class EncodeRejectionTests
{
    public static TheoryData<string> Passes => new() { "output,h_n,c_n", "h_n" };

    private static readonly string TokenModel = Fixtures.PathOf("models/e2e_tokens.safetensors");

    [Theory]
    [MemberData(nameof(Passes))]
    public async Task Encode_rejects_a_null_sequence_naming_file_row_id_and_column(string outputs)
    {
        var result = await RejectAsync(Fixtures.PathOf("parquet/tokens_nulls.duckdb.parquet"), TokenModel, "--outputs", outputs);

        Assert.Contains("tokens_nulls.duckdb.parquet: row 3 (id 1003), column 'tokens'", result.Error);
        Assert.Contains("null", result.Error);
    }

    [Theory]
    [MemberData(nameof(Passes))]
    public async Task Encode_rejects_a_token_id_outside_the_vocabulary(string outputs)
    {
        using var temp = new TempDirectory();
        string smallVocabulary = SafeTensorsBuilder.RandomLstm(8, 6, vocab: 20).WriteTo(temp.File("v20.safetensors"));

        var result = await RejectAsync(Fixtures.PathOf("parquet/tokens_empty_lists.duckdb.parquet"), smallVocabulary, "--outputs", outputs);

        Assert.Contains("tokens_empty_lists.duckdb.parquet: row 4 (id 1004), column 'tokens'", result.Error);
        Assert.Contains("token id 28 at time step 0 is outside [0, 20)", result.Error);
    }

    [Theory]
    [MemberData(nameof(Passes))]
    public async Task Encode_rejects_nan_features_unless_allowed(string outputs)
    {
        using var temp = new TempDirectory();
        string model = SafeTensorsBuilder.RandomLstm(3, 4).WriteTo(temp.File("f3.safetensors"));
        string input = Fixtures.PathOf("parquet/features_nonfinite.duckdb.parquet");

        var rejected = await RejectAsync(input, model, "--outputs", outputs);
        var allowed = await Lstmw.RunAsync("encode", input, "--model", model, "--out", temp.File("out.parquet"), "--allow-nonfinite");

        Assert.Contains("row 2 (id 1002), column 'features'", rejected.Error);
        Assert.Contains("NaN", rejected.Error);
        Assert.True(allowed.ExitCode == 0, allowed.ToString());
    }

    [Theory]
    [MemberData(nameof(Passes))]
    public async Task Encode_rejects_features_that_do_not_divide_into_the_model_input_size(string outputs)
    {
        using var temp = new TempDirectory();
        string model = SafeTensorsBuilder.RandomLstm(2, 4).WriteTo(temp.File("f2.safetensors"));

        var result = await RejectAsync(Fixtures.PathOf("parquet/features_flat_float.duckdb.parquet"), model, "--outputs", outputs);

        Assert.Contains("row 0 (id 1000), column 'features'", result.Error);
        Assert.Contains("multiple of", result.Error);
    }

    [Fact]
    public async Task Encode_rejects_a_sequence_longer_than_the_total_length_without_truncate()
    {
        var result = await RejectAsync(Fixtures.PathOf("datasets/e2e_tokens.duckdb.parquet"), TokenModel, "--total-length", "3");

        Assert.Contains("column 'tokens'", result.Error);
        Assert.Contains("--truncate", result.Error);
    }

    [Fact]
    public async Task Encode_rejects_features_given_to_a_model_with_an_embedding()
    {
        var result = await RejectAsync(Fixtures.PathOf("datasets/e2e_features.duckdb.parquet"), TokenModel);

        Assert.Contains("e2e_features.duckdb.parquet", result.Error);
        Assert.Contains("column 'features'", result.Error);
        Assert.Contains("embedding", result.Error);
    }

    [Fact]
    public async Task Encode_rejects_token_ids_given_to_a_model_without_an_embedding()
    {
        var result = await RejectAsync(Fixtures.PathOf("datasets/e2e_tokens.duckdb.parquet"), Fixtures.PathOf("models/e2e_features.safetensors"));

        Assert.Contains("column 'tokens'", result.Error);
        Assert.Contains("no 'embedding.weight'", result.Error);
    }

    [Fact]
    public async Task Encode_rejects_a_missing_sequence_column_listing_the_columns()
    {
        var result = await RejectAsync(Fixtures.PathOf("datasets/e2e_tokens.duckdb.parquet"), TokenModel, "--sequence-column", "text");

        Assert.Contains("'text'", result.Error);
        Assert.Contains("tokens", result.Error);
    }

    [Fact]
    public async Task Encode_rejects_a_model_file_that_is_not_safetensors()
    {
        using var temp = new TempDirectory();
        string model = temp.File("model.pt");
        await File.WriteAllTextAsync(model, "PK\u0003\u0004 a pickle archive");

        var result = await RejectAsync(Fixtures.PathOf("datasets/e2e_tokens.duckdb.parquet"), model);

        Assert.Contains("model.pt: not a safetensors file", result.Error);
    }

    [Fact]
    public async Task Encode_rejects_an_input_path_that_does_not_exist()
    {
        using var temp = new TempDirectory();

        var result = await RejectAsync(temp.File("missing.parquet"), TokenModel);

        Assert.Contains("missing.parquet", result.Error);
    }

    private static Task<Lstmw.Result> RejectAsync(string input, string model, params string[] extra) =>
        Lstmw.EncodeRefusedAsync(input, model, extra);
}
