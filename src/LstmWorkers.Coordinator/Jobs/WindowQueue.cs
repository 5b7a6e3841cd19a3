namespace LstmWorkers.Coordinator.Jobs;

/// <summary>
/// The windows of a job between dispatch and output: at most <c>depth</c> are being encoded while the oldest is
/// written, so the workers never wait on the writer and memory stays bounded. Windows are written in the order they
/// were added. Not thread-safe: one caller adds and drains.
/// </summary>
/// <param name="collectEvery">The bytes of results after which the memory of the windows written is given back (<see cref="WrittenMemory"/>).</param>
internal sealed class WindowQueue(IWindowSink sink, int depth, long collectEvery, Action<int, long> written, CancellationToken cancellationToken)
{
    private readonly Queue<Task<FinishedWindow>> _pending = new();
    private readonly WrittenMemory _written = new(collectEvery);

    /// <summary>Queues a window (its encoding already started, or done) and writes the oldest while too many are queued.</summary>
    public async Task AddAsync(Task<FinishedWindow> window)
    {
        _pending.Enqueue(window);
        while (_pending.Count >= Math.Max(1, depth))
        {
            await WriteOldestAsync();
        }
    }

    /// <summary>Writes every queued window.</summary>
    public async Task DrainAsync()
    {
        while (_pending.Count > 0)
        {
            await WriteOldestAsync();
        }
    }

    /// <summary>Waits for the windows still being encoded to stop (after the job's token was cancelled), ignoring their errors.</summary>
    public Task AbandonAsync() => Task.WhenAll(_pending).ContinueWith(_ => { }, TaskScheduler.Default);

    private async Task WriteOldestAsync()
    {
        var window = await _pending.Dequeue();
        if (window.Results is not null)
        {
            await sink.WriteWindowAsync(window.Span, window.Results, cancellationToken);
            _written.Add(window.Results.FloatBytes);
        }

        written(window.Span.Rows, window.Tokens);
    }
}
