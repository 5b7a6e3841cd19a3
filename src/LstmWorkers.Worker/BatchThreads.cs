using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace LstmWorkers.Worker;

/// <summary>
/// The threads batches run on: <see cref="WorkerOptions.EffectiveConcurrency"/> of their own, started once. A batch holds
/// a core for up to seconds. On the thread pool it would hold a thread that the transport and, in an embedded run, the
/// coordinator need, and the pool adds threads only slowly while every core is busy: replies, reading and writing would
/// wait for LSTM runs to end. Long-lived threads also keep their scratch arrays (the array pool's per-thread cache) warm.
/// </summary>
public sealed class BatchThreads : IDisposable
{
    private readonly BlockingCollection<Action> _queue = new();
    private readonly Thread[] _threads;

    public BatchThreads(IOptions<WorkerOptions> options)
    {
        _threads = [.. Enumerable.Range(0, options.Value.EffectiveConcurrency)
            .Select(i => new Thread(Serve) { IsBackground = true, Name = $"lstmw-batch-{i}" })];
        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }

    public int Count => _threads.Length;

    /// <summary>Runs <paramref name="work"/> on the next free batch thread; its continuations run on the thread pool.</summary>
    public Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add(() =>
        {
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                done.SetResult(work());
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                done.SetCanceled(cancellationToken);
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }, CancellationToken.None);
        return done.Task;
    }

    /// <summary>Lets queued work finish, then ends the threads.</summary>
    public void Dispose()
    {
        _queue.CompleteAdding();
        foreach (var thread in _threads)
        {
            thread.Join();
        }

        _queue.Dispose();
    }

    private void Serve()
    {
        foreach (var work in _queue.GetConsumingEnumerable())
        {
            work();
        }
    }
}
