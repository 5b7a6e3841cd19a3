using System.Text.Json;
using LstmWorkers.Cli.Tests.Support;
using LstmWorkers.Data.Output;
using LstmWorkers.TestSupport;

namespace LstmWorkers.Cli.Tests.Commands;

/// <summary>
/// <c>lstmw encode</c> end to end, as a separate process, on Parquet files written by DuckDB,
/// against PyTorch's results (1e-5 absolute + 1e-5 relative to float64).
/// </summary>
public class EncodeCommandTests
{
    [Theory]
    [InlineData("e2e_tokens", "e2e_tokens.duckdb.parquet")]
    [InlineData("e2e_tokens", "e2e_tokens.snappy.duckdb.parquet")]
    [InlineData("e2e_features", "e2e_features.duckdb.parquet")]
    [InlineData("e2e_features", "e2e_features.snappy.duckdb.parquet")]
    public async Task Encode_of_a_duckdb_file_matches_pytorch_in_input_order(string dataset, string file)
    {
        using var temp = new TempDirectory();
        string output = temp.File("out.parquet");
        var entry = Fixtures.Entry("datasets", dataset);

        var result = await Lstmw.RunAsync("encode", Fixtures.PathOf($"datasets/{file}"),
            "--model", Fixtures.PathOf(entry.GetProperty("model_file").GetString()!), "--out", output, "--device", "cpu");

        Assert.True(result.ExitCode == 0, result.ToString());
        var encoded = await EncodedFile.ReadAsync(output);
        var expected = Fixtures.Open(entry.GetProperty("expected").GetString()!);
        Assert.Equal(ExpectedIds(entry), encoded.Ids);
        Assert.Equal(Array.ConvertAll(expected.ReadInt64("length").Data, v => (int)v), encoded.Lengths);
        TensorAssert.Close(expected.ReadFloat64("output").Data, encoded.Output, 1e-5, 1e-5, "output");
        TensorAssert.Close(expected.ReadFloat64("h_n").Data, encoded.HiddenState, 1e-5, 1e-5, "h_n");
        TensorAssert.Close(expected.ReadFloat64("c_n").Data, encoded.CellState, 1e-5, 1e-5, "c_n");
        Assert.Equal(entry.GetProperty("total_length").GetInt32().ToString(), encoded.Metadata[EncodingMetadata.TotalLength]);
        Assert.Equal(entry.GetProperty("num_layers").GetInt32().ToString(), encoded.Metadata[EncodingMetadata.NumLayers]);
        Assert.Equal(entry.GetProperty("num_directions").GetInt32().ToString(), encoded.Metadata[EncodingMetadata.NumDirections]);
        Assert.Equal(entry.GetProperty("output_size").GetInt32().ToString(), encoded.Metadata[EncodingMetadata.OutputSize]);
    }

    [Fact]
    public async Task Encode_with_outputs_h_n_and_a_total_length_writes_only_what_was_asked()
    {
        using var temp = new TempDirectory();
        string output = temp.File("out.parquet");

        var result = await Lstmw.RunAsync("encode", Fixtures.PathOf("datasets/e2e_tokens.duckdb.parquet"),
            "--model", Fixtures.PathOf("models/e2e_tokens.safetensors"), "--out", output, "--outputs", "h_n", "--total-length", "20");

        Assert.True(result.ExitCode == 0, result.ToString());
        var encoded = await EncodedFile.ReadAsync(output);
        Assert.Null(encoded.Output);
        Assert.Null(encoded.CellState);
        TensorAssert.Close(Fixtures.Open("datasets/e2e_tokens.expected.safetensors").ReadFloat64("h_n").Data, encoded.HiddenState, 1e-5, 1e-5, "h_n");
        Assert.Equal("20", encoded.Metadata[EncodingMetadata.TotalLength]);
        Assert.Contains("37 rows", result.Output);
    }

    [Fact]
    public async Task Encode_without_output_reads_the_input_once_and_records_the_longest_length_as_t()
    {
        using var temp = new TempDirectory();
        string output = temp.File("out.parquet");
        var entry = Fixtures.Entry("datasets", "e2e_tokens");

        var result = await Lstmw.RunAsync("encode", Fixtures.PathOf("datasets/e2e_tokens.duckdb.parquet"),
            "--model", Fixtures.PathOf("models/e2e_tokens.safetensors"), "--out", output, "--outputs", "h_n,c_n");

        Assert.True(result.ExitCode == 0, result.ToString());
        var encoded = await EncodedFile.ReadAsync(output);
        var expected = Fixtures.Open("datasets/e2e_tokens.expected.safetensors");
        TensorAssert.Close(expected.ReadFloat64("h_n").Data, encoded.HiddenState, 1e-5, 1e-5, "h_n");
        TensorAssert.Close(expected.ReadFloat64("c_n").Data, encoded.CellState, 1e-5, 1e-5, "c_n");
        Assert.Equal(entry.GetProperty("total_length").GetInt32().ToString(), encoded.Metadata[EncodingMetadata.TotalLength]);
        Assert.Contains($"T = {entry.GetProperty("total_length").GetInt32()}", result.Output);
    }

    [Fact]
    public async Task An_embedded_batch_slower_than_the_batch_timeout_is_waited_for_not_resent()
    {
        using var temp = new TempDirectory();
        string output = temp.File("out.parquet");
        var slow = new Dictionary<string, string> { ["LSTMW_Coordinator__BatchTimeout"] = "00:00:00.001", ["LSTMW_Coordinator__BatchAttempts"] = "1" };

        var result = await Lstmw.RunAsync(slow, "encode", Fixtures.PathOf("datasets/e2e_tokens.duckdb.parquet"),
            "--model", Fixtures.PathOf("models/e2e_tokens.safetensors"), "--out", output, "--outputs", "h_n");

        Assert.True(result.ExitCode == 0, result.ToString());
        var encoded = await EncodedFile.ReadAsync(output);
        TensorAssert.Close(Fixtures.Open("datasets/e2e_tokens.expected.safetensors").ReadFloat64("h_n").Data, encoded.HiddenState, 1e-5, 1e-5, "h_n");
    }

    [Fact]
    public async Task Encode_with_truncate_cuts_rows_to_the_total_length()
    {
        using var temp = new TempDirectory();
        string output = temp.File("out.parquet");

        var result = await Lstmw.RunAsync("encode", Fixtures.PathOf("datasets/e2e_tokens.duckdb.parquet"),
            "--model", Fixtures.PathOf("models/e2e_tokens.safetensors"), "--out", output, "--total-length", "3", "--truncate");

        Assert.True(result.ExitCode == 0, result.ToString());
        var encoded = await EncodedFile.ReadAsync(output);
        Assert.All(encoded.Lengths, length => Assert.InRange(length, 0, 3));
        Assert.Equal(encoded.Lengths.Length * 3 * 12, encoded.Output!.Length);
    }

    [Fact]
    public async Task Encode_with_a_padding_value_fills_steps_past_each_length()
    {
        using var temp = new TempDirectory();
        string output = temp.File("out.parquet");

        var result = await Lstmw.RunAsync("encode", Fixtures.PathOf("datasets/e2e_features.duckdb.parquet"),
            "--model", Fixtures.PathOf("models/e2e_features.safetensors"), "--out", output, "--padding-value", "-7.5");

        Assert.True(result.ExitCode == 0, result.ToString());
        var encoded = await EncodedFile.ReadAsync(output);
        int width = 3, steps = 11;
        for (int row = 0; row < encoded.Lengths.Length; row++)
        {
            var padding = encoded.Output!.AsSpan((row * steps + encoded.Lengths[row]) * width, (steps - encoded.Lengths[row]) * width);
            Assert.All(padding.ToArray(), value => Assert.Equal(-7.5f, value));
        }
    }

    [Fact]
    public async Task Encode_on_the_ilgpu_cpu_accelerator_matches_the_cpu_device()
    {
        using var temp = new TempDirectory();
        string[] common = [Fixtures.PathOf("datasets/e2e_tokens.duckdb.parquet"), "--model", Fixtures.PathOf("models/e2e_tokens.safetensors")];

        var cpu = await Lstmw.RunAsync(["encode", .. common, "--out", temp.File("cpu.parquet"), "--device", "cpu"]);
        var ilgpu = await Lstmw.RunAsync(["encode", .. common, "--out", temp.File("ilgpu.parquet"), "--device", "ilgpu-cpu"]);

        Assert.True(cpu.ExitCode == 0, cpu.ToString());
        Assert.True(ilgpu.ExitCode == 0, ilgpu.ToString());
        Assert.Contains("ilgpu-cpu", ilgpu.Output);
        var expected = await EncodedFile.ReadAsync(temp.File("cpu.parquet"));
        var actual = await EncodedFile.ReadAsync(temp.File("ilgpu.parquet"));
        Assert.Equal(expected.Ids, actual.Ids);
        TensorAssert.Close(expected.Output!, actual.Output!, 1e-5, 0, "output");
        TensorAssert.Close(expected.HiddenState!, actual.HiddenState!, 1e-5, 0, "h_n");
        TensorAssert.Close(expected.CellState!, actual.CellState!, 1e-5, 0, "c_n");
    }

    [Fact]
    public async Task Encode_on_a_device_that_is_absent_fails_with_the_reason()
    {
        using var temp = new TempDirectory();

        var result = await Lstmw.RunAsync("encode", Fixtures.PathOf("datasets/e2e_tokens.duckdb.parquet"),
            "--model", Fixtures.PathOf("models/e2e_tokens.safetensors"), "--out", temp.File("out.parquet"), "--device", "opencl");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("lstmw: error: --device opencl is not available", result.Error);
        Assert.False(File.Exists(temp.File("out.parquet")));
    }

    private static string[] ExpectedIds(JsonElement entry)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(Fixtures.PathOf(entry.GetProperty("json").GetString()!)));
        return json.RootElement.GetProperty("rows").EnumerateArray()
            .Select(row => row.GetProperty("id").ValueKind == JsonValueKind.String ? row.GetProperty("id").GetString()! : row.GetProperty("id").GetRawText())
            .ToArray();
    }
}
