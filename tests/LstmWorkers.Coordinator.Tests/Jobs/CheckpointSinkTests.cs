using LstmWorkers.Coordinator.Jobs;
using LstmWorkers.Data.Input;
using LstmWorkers.Data.Output;

namespace LstmWorkers.Coordinator.Tests.Jobs;

public sealed class CheckpointSinkTests : IDisposable
{
    private static readonly OutputSchema Schema = new("id", IdKind.Int64, false, 1, 2, 1, new Dictionary<string, string>());
    private readonly string _directory = Directory.CreateTempSubdirectory("lstmw-sink-").FullName;

    private string Checkpoints => Path.Combine(_directory, "checkpoints");

    private string OutputPath => Path.Combine(_directory, "out.parquet");

    [Fact]
    public async Task An_output_with_fewer_rows_than_the_input_is_refused_and_nothing_is_at_its_path()
    {
        var sink = CheckpointSink.Open(Checkpoints, OutputPath, Schema, Source(inputLength: 1));
        var window = new WindowSpan(0, 0, 2);
        await sink.WriteWindowAsync(window, Rows(2), CancellationToken.None);

        var error = await Assert.ThrowsAsync<IOException>(
            () => sink.CompleteAsync([window], inputRows: 3, new Dictionary<string, string>(), CancellationToken.None));

        Assert.Equal($"{OutputPath}: the job put 2 rows in the output but the input has 3 (did an input file change while the job ran?); nothing was written there",
            error.Message);
        Assert.Equal([Checkpoints], Directory.EnumerateFileSystemEntries(_directory));
    }

    [Fact]
    public async Task An_output_file_with_fewer_rows_than_the_input_is_refused_and_nothing_is_at_its_path()
    {
        await using (var sink = new OutputFileSink(await EncodingWriter.CreateAsync(OutputPath, Schema)))
        {
            await sink.WriteWindowAsync(new WindowSpan(0, 0, 2), Rows(2), CancellationToken.None);

            await Assert.ThrowsAsync<IOException>(() => sink.CompleteAsync([], inputRows: 1, new Dictionary<string, string>(), CancellationToken.None));
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory));
    }

    [Fact]
    public async Task A_window_is_found_only_with_the_same_rows_and_source()
    {
        var sink = CheckpointSink.Open(Checkpoints, OutputPath, Schema, Source(inputLength: 1));
        await sink.WriteWindowAsync(new WindowSpan(0, 0, 2), Rows(2), CancellationToken.None);

        Assert.True(CheckpointSink.Open(Checkpoints, OutputPath, Schema, Source(inputLength: 1)).HasWindow(new WindowSpan(0, 0, 2)));
        Assert.False(CheckpointSink.Open(Checkpoints, OutputPath, Schema, Source(inputLength: 1)).HasWindow(new WindowSpan(0, 0, 3)));
        Assert.False(CheckpointSink.Open(Checkpoints, OutputPath, Schema, Source(inputLength: 2)).HasWindow(new WindowSpan(0, 0, 2)));
        Assert.False(CheckpointSink.Open(Checkpoints, OutputPath, Schema, Source(inputLength: 1)).HasWindow(new WindowSpan(0, 0, 2)));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static EncodedChunk Rows(int count) =>
        new(IdValues.FromInt64(Enumerable.Range(0, count).Select(i => (long)i).ToArray()), new int[count], new float[count], new float[2 * count], new float[count]);

    private static CheckpointSource Source(long inputLength) => new()
    {
        Version = EncodingMetadata.FormatVersion,
        Inputs = [new CheckpointInput("/data/in.parquet", inputLength, 0)],
        ModelSha256 = new string('0', 64),
        Outputs = "h_n",
        OutputLayout = "padded",
    };
}
