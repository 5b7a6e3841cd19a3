using LstmWorkers.Data.Output;

namespace LstmWorkers.Coordinator.Jobs;

/// <summary>Where a job's finished windows go, in window order, until the output is complete.</summary>
public interface IWindowSink : IAsyncDisposable
{
    /// <summary>True when window <paramref name="index"/> was finished by an earlier run of the job.</summary>
    bool HasWindow(int index);

    Task WriteWindowAsync(int index, EncodedChunk window, CancellationToken cancellationToken);

    /// <summary>Makes the output file complete at its path; <paramref name="windowCount"/> windows were written or found.</summary>
    /// <param name="metadata">The output file's final key-value metadata.</param>
    Task CompleteAsync(int windowCount, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken);
}
