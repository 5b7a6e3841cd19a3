using LstmWorkers.Cli.Tests.Support;
using LstmWorkers.TestSupport;

namespace LstmWorkers.Cli.Tests.Commands;

/// <summary>Contract §6: <c>--out DIR/</c> writes a dataset of parts, run as a separate process on the bundled sample (2,000 rows).</summary>
public class EncodeDatasetTests
{
    private static readonly string Sample = Path.Combine(Fixtures.RepositoryRoot, "samples", "sequences.parquet");
    private static readonly string SampleModel = Path.Combine(Fixtures.RepositoryRoot, "samples", "model.safetensors");

    [Theory]
    [InlineData("output,h_n,c_n", "padded", "cpu")]
    [InlineData("h_n", "padded", "cpu")]
    [InlineData("output,pooled_mean,pooled_max", "ragged", "cpu")]
    public async Task A_dataset_holds_the_single_files_rows_values_and_metadata_in_parts_of_the_rows_asked_for(string outputs, string layout,
        string device)
    {
        using var temp = new TempDirectory();
        string single = temp.File("single.parquet");
        string dataset = temp.File("dataset") + "/";
        string[] options = ["--outputs", outputs, "--output-layout", layout, "--device", device];
        Assert.True((await Lstmw.RunAsync(["encode", Sample, "--model", SampleModel, "--out", single, .. options])).ExitCode == 0);

        var result = await Lstmw.RunAsync(["encode", Sample, "--model", SampleModel, "--out", dataset, "--rows-per-part", "300", .. options]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var (all, partRows) = await EncodedDataset.ReadAsync(dataset);
        EncodedDataset.AssertSameRows(await EncodedFile.ReadAsync(single), all);
        Assert.Equal([300, 300, 300, 300, 300, 300, 200], partRows);
        Assert.All(Directory.EnumerateFiles(dataset, "part-*"),
            part => Assert.True(File.GetLastWriteTimeUtc(part) <= File.GetLastWriteTimeUtc(Path.Combine(dataset, "_SUCCESS"))));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_bad_row_mid_input_fails_the_job_and_leaves_nothing_in_the_directory(bool directoryExisted)
    {
        using var temp = new TempDirectory();
        string model = SafeTensorsBuilder.RandomLstm(8, 6, vocab: 20).WriteTo(temp.File("model.safetensors"));
        int[][] rows = [.. Enumerable.Range(0, 1000).Select(i => new[] { i % 20, (i + 1) % 20, i == 700 ? 25 : 3 })];
        string input = await TokenFile.WriteAsync(temp.File("in.parquet"), rows);
        string dataset = temp.File("dataset");
        if (directoryExisted)
        {
            Directory.CreateDirectory(dataset);
        }

        var result = await Lstmw.RunAsync(new Dictionary<string, string> { ["LSTMW_Coordinator__WindowRows"] = "50" },
            "encode", input, "--model", model, "--out", dataset + "/", "--outputs", "h_n", "--rows-per-part", "100");

        Lstmw.AssertRefused(result);
        Assert.Contains("row 700 (id 700), column 'tokens'", result.Error);
        Assert.Equal(directoryExisted, Directory.Exists(dataset));
        Assert.True(!directoryExisted || !Directory.EnumerateFileSystemEntries(dataset).Any());
    }

    [Fact]
    public async Task A_directory_holding_anything_else_is_refused_and_left_as_it_was()
    {
        using var temp = new TempDirectory();
        string dataset = temp.File("dataset");
        Directory.CreateDirectory(dataset);
        File.WriteAllText(Path.Combine(dataset, "notes.txt"), "mine");

        var result = await Lstmw.RunAsync("encode", Sample, "--model", SampleModel, "--out", dataset, "--outputs", "h_n");

        Lstmw.AssertRefused(result);
        Assert.Contains("holds 'notes.txt', which is not part of an lstmw dataset", result.Error);
        Assert.Equal([Path.Combine(dataset, "notes.txt")], Directory.EnumerateFileSystemEntries(dataset));
    }

    [Fact]
    public async Task A_previous_dataset_is_refused_without_overwrite_and_replaced_with_it()
    {
        using var temp = new TempDirectory();
        string dataset = temp.File("dataset") + "/";
        Assert.True((await Lstmw.RunAsync("encode", Sample, "--model", SampleModel, "--out", dataset, "--outputs", "h_n", "--rows-per-part", "300")).ExitCode == 0);

        var refused = await Lstmw.RunAsync("encode", Sample, "--model", SampleModel, "--out", dataset, "--outputs", "c_n");
        var replaced = await Lstmw.RunAsync("encode", Sample, "--model", SampleModel, "--out", dataset, "--outputs", "c_n", "--overwrite");

        Lstmw.AssertRefused(refused);
        Assert.Contains("holds a previous lstmw dataset; pass --overwrite to replace it", refused.Error);
        Assert.True(replaced.ExitCode == 0, replaced.ToString());
        var (all, partRows) = await EncodedDataset.ReadAsync(dataset);
        Assert.Equal([2000], partRows);
        Assert.Null(all.HiddenState);
        Assert.NotNull(all.CellState);
    }

    [Fact]
    public async Task Dataset_options_with_a_single_file_output_are_refused()
    {
        using var temp = new TempDirectory();

        var result = await Lstmw.RunAsync("encode", Sample, "--model", SampleModel, "--out", temp.File("out.parquet"), "--rows-per-part", "10");

        Lstmw.AssertRefused(result);
        Assert.Contains("--rows-per-part and --overwrite are for a dataset", result.Error);
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }
}
