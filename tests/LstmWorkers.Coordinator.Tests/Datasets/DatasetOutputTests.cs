using LstmWorkers.Contracts.Payloads;
using LstmWorkers.Coordinator.Datasets;
using LstmWorkers.Coordinator.Dispatch;
using LstmWorkers.Coordinator.Jobs;
using LstmWorkers.Coordinator.Tests.Jobs;
using LstmWorkers.Data.Output;

namespace LstmWorkers.Coordinator.Tests.Datasets;

/// <summary>
/// A job written as a dataset of parts: the fixture's 37 rows (one row group) in parts of at most 10 rows, windows of 5.
/// The parts concatenated are the single file's rows; a rerun after a failure skips the parts committed before it.
/// </summary>
public sealed class DatasetOutputTests : IDisposable
{
    private readonly JobFixture _fixture = new();
    private readonly PayloadStore _payloads = PayloadStore.InProcess();

    private string Directory => Path.Combine(Path.GetDirectoryName(_fixture.OutputPath)!, "dataset");

    public static TheoryData<OutputSelection> Selections => new() { OutputSelection.Default, OutputSelection.HiddenState };

    [Theory]
    [MemberData(nameof(Selections))]
    public async Task The_parts_in_name_order_hold_the_rows_values_and_metadata_of_the_single_file(OutputSelection outputs)
    {
        var request = _fixture.Request with { Outputs = outputs };

        await RunAsync(request, rowsPerPart: 10);

        var single = await ReadAsync([await SingleFileAsync(request)]);
        Assert.Equal(["_SUCCESS", "part-00000.parquet", "part-00001.parquet", "part-00002.parquet", "part-00003.parquet"], Entries());
        int[] partRows = await Task.WhenAll(Parts().Select(async p => (await EncodingReader.ReadLengthsAsync(p)).Length));
        Assert.Equal([10, 10, 10, 7], partRows);
        Assert.Equal(single.Rows, (await ReadAsync(Parts())).Rows);
        foreach (string part in Parts())
        {
            Assert.Equal(single.Metadata, await FooterMetadata.ReadAsync(part));
        }
    }

    [Fact]
    public async Task A_rerun_after_a_failure_skips_the_parts_committed_before_it_and_writes_the_same_rows()
    {
        await FailingRunAsync(rowsPerPart: 10);
        Assert.Equal(["_temporary"], Entries()); // nothing at the top while the job is unfinished
        var dispatcher = new ReferenceDispatcher(_payloads);

        await RunAsync(_fixture.Request, rowsPerPart: 10, dispatcher);

        var direct = new ReferenceDispatcher(_payloads);
        var single = await ReadAsync([await SingleFileAsync(_fixture.Request, direct)]);
        Assert.Equal(single.Rows, (await ReadAsync(Parts())).Rows);
        Assert.Equal(direct.Sent - Batches(windows: 2), dispatcher.Sent);
    }

    [Fact]
    public async Task A_rerun_with_other_parts_redoes_every_part()
    {
        await FailingRunAsync(rowsPerPart: 10);
        var dispatcher = new ReferenceDispatcher(_payloads);

        await RunAsync(_fixture.Request, rowsPerPart: 20, dispatcher);

        var direct = new ReferenceDispatcher(_payloads);
        var single = await ReadAsync([await SingleFileAsync(_fixture.Request, direct)]);
        Assert.Equal(single.Rows, (await ReadAsync(Parts())).Rows);
        Assert.Equal(2, Parts().Length);
        Assert.Equal(direct.Sent, dispatcher.Sent);
    }

    [Fact]
    public async Task A_failed_job_discarded_leaves_nothing_where_it_made_its_directory()
    {
        var output = await FailingRunAsync(rowsPerPart: 10);

        output.Discard();

        Assert.False(System.IO.Directory.Exists(Directory));
    }

    [Fact]
    public void A_part_committed_twice_is_kept_once_as_the_first_commit_left_it()
    {
        string committed = Path.Combine(Directory, "committed", "part-00000.parquet");
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(Path.Combine(Directory, "first"), "first");
        File.WriteAllText(Path.Combine(Directory, "second"), "second");

        Assert.True(PartCommits.Commit(Path.Combine(Directory, "first"), committed));
        Assert.False(PartCommits.Commit(Path.Combine(Directory, "second"), committed));

        Assert.Equal("first", File.ReadAllText(committed));
        Assert.Equal(["committed"], Entries());
    }

    [Fact]
    public async Task A_directory_holding_anything_else_is_refused_before_any_work_and_left_as_it_was()
    {
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(Path.Combine(Directory, "notes.txt"), "mine");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => DatasetOutput.OpenAsync(Directory, 10, overwrite: true, CancellationToken.None));

        Assert.Equal($"{Directory} holds 'notes.txt', which is not part of an lstmw dataset; give a new or empty directory, or one that holds an lstmw dataset",
            error.Message);
        Assert.Equal(["notes.txt"], Entries());
    }

    [Fact]
    public async Task A_file_named_like_a_part_that_no_lstmw_job_wrote_is_refused()
    {
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(Path.Combine(Directory, "part-00000.parquet"), "not parquet");

        await Assert.ThrowsAsync<ArgumentException>(() => DatasetOutput.OpenAsync(Directory, 10, overwrite: true, CancellationToken.None));
    }

    [Fact]
    public async Task A_previous_dataset_is_refused_without_overwrite_and_replaced_whole_with_it()
    {
        await RunAsync(_fixture.Request, rowsPerPart: 10);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => DatasetOutput.OpenAsync(Directory, 20, overwrite: false, CancellationToken.None));
        Assert.Equal($"{Directory} holds a previous lstmw dataset; pass --overwrite to replace it", error.Message);

        var request = _fixture.Request with { Outputs = OutputSelection.HiddenState };
        await RunAsync(request, rowsPerPart: 20, overwrite: true);

        Assert.Equal(["_SUCCESS", "part-00000.parquet", "part-00001.parquet"], Entries());
        Assert.Equal((await ReadAsync([await SingleFileAsync(request)])).Rows, (await ReadAsync(Parts())).Rows);
    }

    public void Dispose() => _fixture.Dispose();

    /// <summary>The batches of the first <paramref name="windows"/> windows of 5 rows (each its own batches of at most 4 rows).</summary>
    private static int Batches(int windows) => 2 * windows;

    private async Task RunAsync(EncodeJobRequest request, long rowsPerPart, ReferenceDispatcher? dispatcher = null, bool overwrite = false)
    {
        var output = await DatasetOutput.OpenAsync(Directory, rowsPerPart, overwrite, CancellationToken.None);
        await JobFixture.Job(dispatcher ?? new ReferenceDispatcher(_payloads), _payloads, windowRows: 5)
            .RunAsync(Guid.NewGuid(), request, output, null, CancellationToken.None);
    }

    /// <summary>A run whose third window fails, as a coordinator killed there: the first part (windows 0 and 1) is committed.</summary>
    private async Task<DatasetOutput> FailingRunAsync(long rowsPerPart)
    {
        var output = await DatasetOutput.OpenAsync(Directory, rowsPerPart, overwrite: false, CancellationToken.None);
        var job = JobFixture.Job(new ReferenceDispatcher(_payloads, fails: window => window >= 2), _payloads, windowRows: 5);

        await Assert.ThrowsAsync<BatchFailedException>(() => job.RunAsync(Guid.NewGuid(), _fixture.Request, output, null, CancellationToken.None));

        return output;
    }

    private async Task<string> SingleFileAsync(EncodeJobRequest request, ReferenceDispatcher? dispatcher = null)
    {
        string path = _fixture.OutputPath + ".single.parquet";
        await JobFixture.Job(dispatcher ?? new ReferenceDispatcher(_payloads), _payloads, windowRows: 5)
            .RunAsync(Guid.NewGuid(), request, new FileOutput(path), null, CancellationToken.None);
        return path;
    }

    private string[] Entries() => System.IO.Directory.EnumerateFileSystemEntries(Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    private string[] Parts() => System.IO.Directory.EnumerateFiles(Directory, "part-*").Order(StringComparer.Ordinal).ToArray();

    /// <summary>Every row of the files, in order, as text (ids, lengths and every value), and the first file's metadata.</summary>
    private static async Task<(List<string> Rows, IReadOnlyDictionary<string, string> Metadata)> ReadAsync(IEnumerable<string> files)
    {
        var rows = new List<string>();
        IReadOnlyDictionary<string, string>? metadata = null;
        foreach (string file in files)
        {
            metadata ??= await FooterMetadata.ReadAsync(file);
            await foreach (var chunk in EncodingReader.ReadAsync(file))
            {
                int Width(float[]? values) => values is null ? 0 : values.Length / chunk.Count;
                for (int r = 0; r < chunk.Count; r++)
                {
                    string Row(float[]? values) => values is null ? "-" : string.Join(",", values.AsSpan(r * Width(values), Width(values)).ToArray());
                    rows.Add($"{chunk.Ids.Format(r)}|{chunk.Lengths[r]}|{Row(chunk.Output)}|{Row(chunk.Hn)}|{Row(chunk.Cn)}");
                }
            }
        }

        return (rows, metadata!);
    }
}
