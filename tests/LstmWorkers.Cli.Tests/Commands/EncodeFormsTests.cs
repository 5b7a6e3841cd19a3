using LstmWorkers.Cli.Tests.Support;
using LstmWorkers.Core.Models;
using LstmWorkers.TestSupport;

namespace LstmWorkers.Cli.Tests.Commands;

/// <summary>
/// Contract §7 end to end: <c>lstmw encode --outputs output,pooled_mean,pooled_max,h_n --output-layout ragged</c> on every
/// fixture case the command can take (all but those with an initial state) and on the DuckDB datasets, against PyTorch's
/// float64 results (1e-5 absolute + 1e-5 relative, as the other fixtures).
/// </summary>
public class EncodeFormsTests
{
    private const double Atol = 1e-5;
    private const double Rtol = 1e-5;

    public static TheoryData<string> Cases() =>
        [.. Fixtures.Names("cases").Where(name => !Fixtures.Entry("cases", name).GetProperty("has_initial_state").GetBoolean())];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Ragged_output_and_pooled_vectors_of_a_fixture_case_match_pytorch(string name)
    {
        using var temp = new TempDirectory();
        var entry = Fixtures.Entry("cases", name);
        var file = Fixtures.Open(entry.GetProperty("case_file").GetString()!);
        string input = await WriteInputAsync(temp.File("in.parquet"), file);

        var result = await Lstmw.RunAsync("encode", input, "--model", Fixtures.PathOf(entry.GetProperty("model_file").GetString()!),
            "--out", temp.File("out.parquet"), "--outputs", "output,pooled_mean,pooled_max,h_n", "--output-layout", "ragged", "--device", "cpu");

        Assert.True(result.ExitCode == 0, result.ToString());
        var encoded = await EncodedFile.ReadAsync(temp.File("out.parquet"));
        Assert.Equal(Array.ConvertAll(file.ReadInt64("lengths").Data, v => (int)v), encoded.Lengths);
        TensorAssert.Close(file.ReadFloat64("output_ragged").Data, encoded.Output, Atol, Rtol, $"{name} ragged output");
        TensorAssert.Close(file.ReadFloat64("pooled_mean").Data, encoded.PooledMean, Atol, Rtol, $"{name} pooled_mean");
        TensorAssert.Close(file.ReadFloat64("pooled_max").Data, encoded.PooledMax, Atol, Rtol, $"{name} pooled_max");
        TensorAssert.Close(BatchMajor(file.ReadFloat64("h_n")), encoded.HiddenState, Atol, Rtol, $"{name} h_n");
        Assert.Null(encoded.CellState);
        Assert.Equal("ragged", encoded.Metadata["lstmw.output_layout"]);
        Assert.Equal(entry.GetProperty("max_length").GetInt32().ToString(), encoded.Metadata["lstmw.total_length"]);
    }

    [Theory]
    [InlineData("e2e_tokens", "cpu")]
    [InlineData("e2e_features", "cpu")]
    [InlineData("e2e_tokens", "ilgpu-cpu")]
    public async Task Pooled_vectors_without_output_of_a_duckdb_dataset_match_pytorch_on_every_device(string dataset, string device)
    {
        using var temp = new TempDirectory();
        var entry = Fixtures.Entry("datasets", dataset);
        var expected = Fixtures.Open(entry.GetProperty("expected").GetString()!);

        var result = await Lstmw.RunAsync("encode", Fixtures.PathOf($"datasets/{dataset}.duckdb.parquet"),
            "--model", Fixtures.PathOf(entry.GetProperty("model_file").GetString()!), "--out", temp.File("out.parquet"),
            "--outputs", "pooled_mean,pooled_max,h_n", "--output-layout", "ragged", "--device", device);

        Assert.True(result.ExitCode == 0, result.ToString());
        var encoded = await EncodedFile.ReadAsync(temp.File("out.parquet"));
        Assert.Null(encoded.Output);
        TensorAssert.Close(expected.ReadFloat64("pooled_mean").Data, encoded.PooledMean, Atol, Rtol, "pooled_mean");
        TensorAssert.Close(expected.ReadFloat64("pooled_max").Data, encoded.PooledMax, Atol, Rtol, "pooled_max");
        TensorAssert.Close(expected.ReadFloat64("h_n").Data, encoded.HiddenState, Atol, Rtol, "h_n");
        Assert.Equal("h_n,pooled_mean,pooled_max", encoded.Metadata["lstmw.outputs"]);
    }

    [Fact]
    public async Task A_ragged_output_on_the_ilgpu_cpu_accelerator_matches_pytorch()
    {
        using var temp = new TempDirectory();
        var entry = Fixtures.Entry("datasets", "e2e_features");
        var expected = Fixtures.Open(entry.GetProperty("expected").GetString()!);

        var result = await Lstmw.RunAsync("encode", Fixtures.PathOf("datasets/e2e_features.duckdb.parquet"),
            "--model", Fixtures.PathOf(entry.GetProperty("model_file").GetString()!), "--out", temp.File("out.parquet"),
            "--outputs", "output", "--output-layout", "ragged", "--device", "ilgpu-cpu");

        Assert.True(result.ExitCode == 0, result.ToString());
        var encoded = await EncodedFile.ReadAsync(temp.File("out.parquet"));
        TensorAssert.Close(expected.ReadFloat64("output_ragged").Data, encoded.Output, Atol, Rtol, "ragged output");
    }

    [Fact]
    public async Task A_padded_output_records_its_layout()
    {
        using var temp = new TempDirectory();

        var result = await Lstmw.RunAsync("encode", Fixtures.PathOf("datasets/e2e_tokens.duckdb.parquet"),
            "--model", Fixtures.PathOf("models/e2e_tokens.safetensors"), "--out", temp.File("out.parquet"), "--outputs", "output");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("padded", (await EncodedFile.ReadAsync(temp.File("out.parquet"))).Metadata["lstmw.output_layout"]);
    }

    [Theory]
    [InlineData("--output-layout", "packed", "unknown output layout 'packed'; choose padded or ragged")]
    [InlineData("--outputs", "pooled_min", "unknown output 'pooled_min'; choose from output, h_n, c_n, pooled_mean, pooled_max")]
    public async Task An_unknown_layout_or_output_is_refused_naming_the_choices(string option, string value, string message)
    {
        using var temp = new TempDirectory();

        var result = await Lstmw.RunAsync("encode", Fixtures.PathOf("datasets/e2e_tokens.duckdb.parquet"),
            "--model", Fixtures.PathOf("models/e2e_tokens.safetensors"), "--out", temp.File("out.parquet"), option, value);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(message, result.Error);
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    /// <summary>The case's input as a Parquet file: <c>tokens</c> list&lt;int64&gt;, or <c>features</c> list&lt;float&gt; flattened
    /// time-major, each row's own steps only.</summary>
    private static Task<string> WriteInputAsync(string path, SafeTensorsFile file)
    {
        var lengths = Array.ConvertAll(file.ReadInt64("lengths").Data, v => (int)v);
        if (file.Contains("tokens"))
        {
            var tokens = file.ReadInt64("tokens");
            int steps = tokens.Shape[1];
            return TokenFile.WriteAsync(path, "tokens", [.. lengths.Select((length, b) => tokens.Data.AsSpan(b * steps, length).ToArray())]);
        }

        var input = file.ReadFloat32("input");
        int stride = input.Shape[1] * input.Shape[2], size = input.Shape[2];
        return TokenFile.WriteAsync(path, "features", [.. lengths.Select((length, b) => input.Data.AsSpan(b * stride, length * size).ToArray())]);
    }

    /// <summary>torch's h_n [L·D, B, H_out] → per row [L·D, H_out], rows in caller order.</summary>
    private static double[] BatchMajor(Core.Tensors.Tensor<double> state)
    {
        int layers = state.Shape[0], batch = state.Shape[1], size = state.Shape[2];
        return [.. Enumerable.Range(0, batch).SelectMany(b => Enumerable.Range(0, layers).SelectMany(k => state.Data.AsSpan((k * batch + b) * size, size).ToArray()))];
    }
}
