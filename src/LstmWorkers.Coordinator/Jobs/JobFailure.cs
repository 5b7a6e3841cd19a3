using System.Runtime.ExceptionServices;

namespace LstmWorkers.Coordinator.Jobs;

/// <summary>
/// The first error of a job's many concurrent batches: recording it cancels <see cref="Token"/>, so every other
/// batch and window stops at once instead of running on (or waiting out its timeouts) while the job is already
/// lost; <see cref="ThrowFirst"/> then reports that error, not the cancellations it caused. Thread-safe.
/// </summary>
internal sealed class JobFailure(CancellationToken jobToken) : IDisposable
{
    private readonly CancellationTokenSource _source = CancellationTokenSource.CreateLinkedTokenSource(jobToken);
    private ExceptionDispatchInfo? _first;

    public CancellationToken Token => _source.Token;

    /// <summary>Records <paramref name="error"/> if it is the first, and cancels the job's work.</summary>
    public void Record(Exception error)
    {
        Interlocked.CompareExchange(ref _first, ExceptionDispatchInfo.Capture(error), null);
        _source.Cancel();
    }

    public Task CancelAsync() => _source.CancelAsync();

    /// <summary>Throws the recorded error, if any (when the job itself was not cancelled).</summary>
    public void ThrowFirst()
    {
        if (!jobToken.IsCancellationRequested)
        {
            _first?.Throw();
        }
    }

    public void Dispose() => _source.Dispose();
}
