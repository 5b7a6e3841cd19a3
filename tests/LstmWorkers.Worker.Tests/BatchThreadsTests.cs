using Microsoft.Extensions.Options;

namespace LstmWorkers.Worker.Tests;

public class BatchThreadsTests
{
    [Fact]
    public async Task Work_runs_on_the_batch_threads_not_the_thread_pool()
    {
        using var threads = new BatchThreads(Options.Create(new WorkerOptions { Concurrency = 1 }));

        var (pool, name) = await threads.RunAsync(() => (Thread.CurrentThread.IsThreadPoolThread, Thread.CurrentThread.Name),
            CancellationToken.None);

        Assert.False(pool);
        Assert.Equal("lstmw-batch-0", name);
    }

    [Fact]
    public async Task As_many_runs_go_at_once_as_the_worker_concurrency()
    {
        using var threads = new BatchThreads(Options.Create(new WorkerOptions { Concurrency = 3 }));
        using var barrier = new Barrier(3);

        // Each run waits until three are in progress: fewer threads would time out.
        bool[] met = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            threads.RunAsync(() => barrier.SignalAndWait(TimeSpan.FromSeconds(10)), CancellationToken.None)));

        Assert.Equal(3, threads.Count);
        Assert.All(met, Assert.True);
    }

    [Fact]
    public async Task An_error_reaches_the_caller_and_the_thread_goes_on()
    {
        using var threads = new BatchThreads(Options.Create(new WorkerOptions { Concurrency = 1 }));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => threads.RunAsync<int>(() => throw new InvalidDataException("bad"),
            CancellationToken.None));

        Assert.Equal("bad", error.Message);
        Assert.Equal(7, await threads.RunAsync(() => 7, CancellationToken.None));
    }

    [Fact]
    public async Task Work_cancelled_before_it_starts_does_not_run()
    {
        using var threads = new BatchThreads(Options.Create(new WorkerOptions { Concurrency = 1 }));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        bool ran = false;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => threads.RunAsync(() => ran = true, cancelled.Token));

        Assert.False(ran);
    }
}
