using LstmWorkers.Data.Output;

namespace LstmWorkers.Coordinator.Jobs;

/// <summary>Windows appended straight to the output file (an embedded run: nothing to resume).</summary>
public sealed class OutputFileSink(EncodingWriter writer) : IWindowSink
{
    public bool HasWindow(int index) => false;

    public Task WriteWindowAsync(int index, EncodedChunk window, CancellationToken cancellationToken) =>
        writer.WriteAsync(window, cancellationToken);

    public Task CompleteAsync(int windowCount, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken) =>
        writer.CompleteAsync(metadata, cancellationToken);

    public ValueTask DisposeAsync() => writer.DisposeAsync();
}
