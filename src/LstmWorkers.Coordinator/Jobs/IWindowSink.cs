using LstmWorkers.Data.Output;

namespace LstmWorkers.Coordinator.Jobs;

/// <summary>Where a shard's finished windows go, in window order, until the shard's output is complete.</summary>
public interface IWindowSink : IAsyncDisposable
{
    /// <summary>True when <paramref name="window"/> — these very rows, from the same inputs, model and settings — was finished by an earlier run of the job.</summary>
    bool HasWindow(WindowSpan window);

    Task WriteWindowAsync(WindowSpan window, EncodedChunk results, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the shard's file complete — the output file at its path, or a dataset's part committed — once it holds
    /// exactly <paramref name="inputRows"/> rows: the <paramref name="windows"/>, written or found, in order. Otherwise it
    /// throws, and nothing is at the path.
    /// </summary>
    /// <param name="metadata">The file's final key-value metadata.</param>
    /// <exception cref="IOException">The windows do not hold the input's rows.</exception>
    Task CompleteAsync(IReadOnlyList<WindowSpan> windows, long inputRows, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken);
}
