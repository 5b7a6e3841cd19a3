using LstmWorkers.Coordinator.Jobs;
using LstmWorkers.Data.Output;

namespace LstmWorkers.Coordinator.Datasets;

/// <summary>
/// One attempt at one shard: its windows are written to <c>_temporary/attempt-ID/part-N.parquet</c>, and completing it
/// commits the part — the finished file is moved into <c>_temporary/committed/</c> by a rename that never replaces
/// (the first attempt to commit a part wins; another attempt at the same shard wrote the same bytes and is dropped).
/// Disposed uncommitted, the attempt's directory is removed.
/// </summary>
internal sealed class PartSink : IWindowSink
{
    private readonly DatasetDirectory _directory;
    private readonly int _index;
    private readonly string _attempt;
    private readonly EncodingWriter _writer;

    private PartSink(DatasetDirectory directory, int index, string attempt, EncodingWriter writer)
    {
        _directory = directory;
        _index = index;
        _attempt = attempt;
        _writer = writer;
    }

    public static async Task<PartSink> CreateAsync(DatasetDirectory directory, int index, OutputSchema schema, CancellationToken cancellationToken)
    {
        string attempt = Path.Combine(directory.Temporary, $"attempt-{Guid.NewGuid():N}");
        Directory.CreateDirectory(attempt);
        try
        {
            return new PartSink(directory, index, attempt,
                await EncodingWriter.CreateAsync(Path.Combine(attempt, DatasetDirectory.PartName(index)), schema, cancellationToken));
        }
        catch
        {
            Directory.Delete(attempt, recursive: true);
            throw;
        }
    }

    public bool HasWindow(WindowSpan window) => false;

    public Task WriteWindowAsync(WindowSpan window, EncodedChunk results, CancellationToken cancellationToken) =>
        _writer.WriteAsync(results, cancellationToken);

    /// <summary>Completes the part (when it holds the shard's <paramref name="inputRows"/>) and commits it.</summary>
    public async Task CompleteAsync(IReadOnlyList<WindowSpan> windows, long inputRows, IReadOnlyDictionary<string, string> metadata,
        CancellationToken cancellationToken)
    {
        await CompletedOutput.CompleteAsync(_writer, inputRows, metadata, cancellationToken);
        PartCommits.Commit(_writer.Path, _directory.CommittedPart(_index));
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        if (Directory.Exists(_attempt))
        {
            Directory.Delete(_attempt, recursive: true);
        }
    }
}
