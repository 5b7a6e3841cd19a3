using LstmWorkers.Contracts.Batches;
using LstmWorkers.Contracts.Jobs;
using LstmWorkers.Contracts.Payloads;
using LstmWorkers.Coordinator.Cluster;
using LstmWorkers.Coordinator.Dispatch;
using LstmWorkers.Coordinator.Jobs;
using LstmWorkers.Coordinator.Tests.Jobs;
using LstmWorkers.Core.Files;
using MassTransit;

namespace LstmWorkers.Coordinator.Tests.Cluster;

/// <summary>Jobs run one after another; a job whose code is stuck in a call that never returns (a read of a file that
/// never ends, a hung file system) must neither hold up the coordinator's start nor outlive a cancel, nor keep the next job waiting.</summary>
public sealed class JobSchedulerTests : IAsyncLifetime
{
    private readonly CoordinatorFolders _folders = new();

    [Fact]
    public async Task A_job_stuck_in_a_call_that_ignores_cancellation_is_cancelled_at_once_and_the_next_job_runs()
    {
        var harness = await _folders.StartHarnessAsync();
        var store = _folders.NewStore();
        var stuck = Job("stuck.parquet");
        var next = Job("next.parquet");
        store.AddIfNew(new JobRecord(stuck, JobState.Queued, DateTimeOffset.UtcNow));
        store.AddIfNew(new JobRecord(next, JobState.Queued, DateTimeOffset.UtcNow.AddSeconds(1)));
        using var dispatcher = new StuckDispatcher(new ReferenceDispatcher(_folders.Payloads), stuck.JobId);
        var scheduler = Scheduler(store, JobFixture.Job(dispatcher, _folders.Payloads), _folders.Payloads, harness.Bus);

        await scheduler.StartAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)); // resumes both, the stuck one first
        await dispatcher.Stuck.WaitAsync(TimeSpan.FromSeconds(30));
        scheduler.Cancel(stuck.JobId);

        await WaitUntilAsync(() => store.Find(next.JobId)!.State.IsFinished(), "the next job did not run");
        Assert.Equal(JobState.Completed, store.Find(next.JobId)!.State);
        Assert.Equal(JobState.Cancelled, store.Find(stuck.JobId)!.State);
        Assert.True(await harness.Published.Any<JobFailed>(m => m.Context.Message.JobId == stuck.JobId && m.Context.Message.Reason == "cancelled on request"));
        dispatcher.Release();
        await scheduler.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Two_coordinators_on_one_state_directory_run_a_job_once_and_either_can_cancel_it()
    {
        var harness = await _folders.StartHarnessAsync();
        var stores = new[] { _folders.NewStore(), _folders.NewStore() };
        var stuck = Job("stuck.parquet");
        var next = Job("next.parquet");
        stores[0].AddIfNew(new JobRecord(stuck, JobState.Queued, DateTimeOffset.UtcNow));
        using var dispatcher = new StuckDispatcher(new ReferenceDispatcher(_folders.Payloads), stuck.JobId);
        var schedulers = stores.Select(store => Scheduler(store, JobFixture.Job(dispatcher, _folders.Payloads), _folders.Payloads, harness.Bus)).ToArray();
        foreach (var scheduler in schedulers)
        {
            await scheduler.StartAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        }

        await dispatcher.Stuck.WaitAsync(TimeSpan.FromSeconds(30));
        stores[1].AddIfNew(new JobRecord(next, JobState.Queued, DateTimeOffset.UtcNow)); // accepted while the first runs
        await WaitUntilAsync(() => stores[0].Find(next.JobId)!.State.IsFinished(), "the second job did not run on the idle coordinator");
        Assert.Equal(JobState.Completed, stores[0].Find(next.JobId)!.State);
        foreach (var scheduler in schedulers)
        {
            scheduler.Cancel(stuck.JobId); // one of them runs it: when the other records the cancel first, the runner sees it in the record
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await harness.Published.Any<JobFailed>(m => m.Context.Message.JobId == stuck.JobId && m.Context.Message.Reason == "cancelled on request"))
        {
            Assert.True(DateTime.UtcNow < deadline, "the coordinator running the job did not stop it");
        }

        Assert.Equal(JobState.Cancelled, stores[1].Find(stuck.JobId)!.State);
        Assert.Equal(1, dispatcher.StuckSends);
        dispatcher.Release();
        foreach (var scheduler in schedulers)
        {
            await scheduler.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task The_payload_folder_and_windows_of_a_finished_job_are_removed_when_the_coordinator_starts()
    {
        var harness = await _folders.StartHarnessAsync();
        var store = _folders.NewStore();
        var cancelled = Job("cancelled.parquet");
        store.AddIfNew(new JobRecord(cancelled, JobState.Cancelled, DateTimeOffset.UtcNow));
        var payloads = new PayloadStore(Path.Combine(_folders.State, "payloads"), 0);
        payloads.OpenJob(cancelled.JobId);
        await payloads.PutAsync(cancelled.JobId, new[] { 1 }, CancellationToken.None);
        Directory.CreateDirectory(store.WindowDirectory(cancelled.JobId));
        var scheduler = Scheduler(store, JobFixture.Job(new ReferenceDispatcher(payloads), payloads), payloads, harness.Bus);

        await scheduler.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => !Directory.EnumerateFileSystemEntries(payloads.Directory!).Any(), "the payload folder is still there");
        Assert.False(Directory.Exists(store.WindowDirectory(cancelled.JobId)), "the windows are still there");
        await scheduler.StopAsync(CancellationToken.None);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // IAsyncLifetime, not IAsyncDisposable: xunit 2 does not dispose test classes asynchronously, and the folders stayed in /tmp
    public async Task DisposeAsync() => await _folders.DisposeAsync();

    private JobScheduler Scheduler(JobStore store, EncodeJob encoder, PayloadStore payloads, IBus bus)
    {
        var roots = new DataRoots([_folders.Root], "coordinator");
        var events = new JobEvents(bus, new LogCollector<JobEvents>());
        return new(store, roots, encoder, new ShardedJobs(store, roots, encoder, payloads, bus, events, new LogCollector<ShardedJobs>()), payloads, bus,
            events, new LogCollector<JobScheduler>());
    }

    private static SubmitEncodeJob Job(string output) => new()
    {
        JobId = Guid.NewGuid(),
        Input = "in.parquet",
        ModelPath = "model.safetensors",
        OutputPath = output,
        Outputs = "h_n",
    };

    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(50);
        }
    }

    /// <summary>Blocks the thread that sends the stuck job's first batch, deaf to cancellation, until released; other jobs' batches go through.</summary>
    private sealed class StuckDispatcher(IBatchDispatcher inner, Guid stuckJob) : IBatchDispatcher, IDisposable
    {
        private readonly ManualResetEventSlim _release = new();
        private readonly TaskCompletionSource _stuck = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private int _stuckSends;

        public Task Stuck => _stuck.Task;

        /// <summary>How many times the stuck job sent a batch: once per coordinator that ran it.</summary>
        public int StuckSends => Volatile.Read(ref _stuckSends);

        public Task<Task<BatchEncoded>> SendAsync(EncodeBatch batch, CancellationToken cancellationToken)
        {
            if (batch.JobId == stuckJob)
            {
                Interlocked.Increment(ref _stuckSends);
                _stuck.TrySetResult();
                _release.Wait(); // a system call that does not return
                throw new OperationCanceledException("released at the end of the test");
            }

            return inner.SendAsync(batch, cancellationToken);
        }

        public void Release() => _release.Set();

        public void Dispose()
        {
            Release();
            _release.Dispose();
        }
    }
}
