using LstmWorkers.Data.Output;

namespace LstmWorkers.Coordinator.Jobs;

/// <summary>Windows appended straight to the output file (an embedded run: nothing to resume).</summary>
public sealed class OutputFileSink(EncodingWriter writer) : IWindowSink
{
    public bool HasWindow(WindowSpan window) => false;

    public Task WriteWindowAsync(WindowSpan window, EncodedChunk results, CancellationToken cancellationToken) =>
        writer.WriteAsync(results, cancellationToken);

    public Task CompleteAsync(IReadOnlyList<WindowSpan> windows, long inputRows, IReadOnlyDictionary<string, string> metadata,
        CancellationToken cancellationToken) =>
        CompletedOutput.CompleteAsync(writer, inputRows, metadata, cancellationToken);

    public ValueTask DisposeAsync() => writer.DisposeAsync();
}
