using LstmWorkers.Cli.Tests.Support;
using LstmWorkers.Data.Output;
using LstmWorkers.TestSupport;

namespace LstmWorkers.Cli.Tests.Commands;

/// <summary>
/// Contract §9: sizes derived from the input are checked. A row whose result cannot be held is refused before any
/// encoding, naming the row, its size and the limit; the sizes that can be held are written whole.
/// </summary>
public class EncodeLimitsTests
{
    /// <summary>D·H_out = 1024, so 4,194,305 steps of <c>output</c> are 2^32 + 1024 floats: past every array's limit.</summary>
    private const int LongRow = 4_194_305;

    [Fact]
    public async Task A_row_whose_output_cannot_be_held_is_refused_before_encoding_naming_row_size_and_limit()
    {
        using var temp = new TempDirectory();
        string model = WideModel(temp);
        string input = await TokenFile.WriteAsync(temp.File("long.parquet"), new int[LongRow]);

        var result = await Lstmw.EncodeRefusedAsync(input, model);

        Assert.Contains("long.parquet: row 0 (id 0)", result.Error);
        Assert.Contains("4194305 time steps", result.Error);
        Assert.Contains("4294968320 floats", result.Error);
        Assert.Contains($"at most {Array.MaxLength}", result.Error);
        Assert.Contains("--outputs h_n", result.Error);
    }

    [Fact]
    public async Task A_total_length_whose_rows_cannot_be_held_is_refused_naming_the_option_size_and_limit()
    {
        using var temp = new TempDirectory();
        string model = WideModel(temp);
        string input = await TokenFile.WriteAsync(temp.File("short.parquet"), [1, 0], [1]);

        var result = await Lstmw.EncodeRefusedAsync(input, model, "--total-length", LongRow.ToString());

        Assert.Contains("--total-length 4194305", result.Error);
        Assert.Contains("4294968320 floats", result.Error);
        Assert.Contains($"at most {Array.MaxLength}", result.Error);
    }

    [Fact]
    public async Task A_row_whose_ragged_output_cannot_be_held_is_refused_naming_the_pooled_way_out()
    {
        using var temp = new TempDirectory();
        string model = WideModel(temp);
        string input = await TokenFile.WriteAsync(temp.File("long.parquet"), new int[LongRow]);

        var result = await Lstmw.EncodeRefusedAsync(input, model, "--output-layout", "ragged");

        Assert.Contains("long.parquet: row 0 (id 0)", result.Error);
        Assert.Contains("4294968320 floats", result.Error);
        Assert.Contains("--outputs h_n,c_n or pooled_mean,pooled_max", result.Error);
    }

    [Fact]
    public async Task A_total_length_too_long_to_pad_is_taken_by_a_ragged_output_which_holds_only_the_rows_steps()
    {
        using var temp = new TempDirectory();
        string model = WideModel(temp);
        string input = await TokenFile.WriteAsync(temp.File("short.parquet"), [1, 0], [1]);
        string output = temp.File("out.parquet");

        var result = await Lstmw.RunAsync("encode", input, "--model", model, "--out", output, "--outputs", "output",
            "--output-layout", "ragged", "--total-length", LongRow.ToString());

        Assert.True(result.ExitCode == 0, result.ToString());
        var encoded = await EncodedFile.ReadAsync(output);
        Assert.Equal(LongRow.ToString(), encoded.Metadata["lstmw.total_length"]);
        Assert.Equal(3 * 1024, encoded.Output!.Length);
    }

    [Fact]
    public async Task Rows_that_are_all_empty_still_get_their_output_column_with_t_zero()
    {
        using var temp = new TempDirectory();
        string model = SafeTensorsBuilder.RandomLstm(3, 4, vocab: 5).WriteTo(temp.File("model.safetensors"));
        string input = await TokenFile.WriteAsync(temp.File("empty.parquet"), [], [], []);
        string output = temp.File("out.parquet");

        var result = await Lstmw.RunAsync("encode", input, "--model", model, "--out", output);

        Assert.True(result.ExitCode == 0, result.ToString());
        var encoded = await EncodedFile.ReadAsync(output);
        Assert.Equal("0", encoded.Metadata[EncodingMetadata.TotalLength]);
        Assert.Equal([0, 0, 0], encoded.Lengths);
        Assert.Equal([], encoded.Output!);
        Assert.Equal(new float[3 * 4], encoded.HiddenState);
        Assert.Equal(new float[3 * 4], encoded.CellState);
    }

    /// <summary><c>Embedding(2, 1) → LSTM(1, 512, bidirectional)</c>: a tiny input, a wide output.</summary>
    private static string WideModel(TempDirectory temp) =>
        SafeTensorsBuilder.RandomLstm(1, 512, bidirectional: true, vocab: 2).WriteTo(temp.File("wide.safetensors"));
}
