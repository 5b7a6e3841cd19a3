using LstmWorkers.Contracts.Jobs;
using LstmWorkers.Coordinator.Cluster;
using LstmWorkers.Coordinator.Tests.Jobs;
using LstmWorkers.Core.Files;
using MassTransit.Testing;

namespace LstmWorkers.Coordinator.Tests.Cluster;

/// <summary>A shard taken by a coordinator that cannot run it fails the job; it never throws out of the consumer, where
/// MassTransit would move it to <c>encode-shard_error</c> and leave the job running for ever.</summary>
public sealed class ShardedJobsTests : IAsyncLifetime
{
    private readonly CoordinatorFolders _folders = new();
    private readonly string _otherRoot = Directory.CreateTempSubdirectory("lstmw-shards-other-").FullName;

    [Fact]
    public async Task A_shard_on_a_coordinator_whose_data_roots_refuse_the_job_fails_the_job()
    {
        var (harness, store, sharded, job) = await ArrangeAsync(new ShardProgress[1]);

        await sharded.EncodeShardAsync(new EncodeShard { JobId = job.JobId, ShardIndex = 0, Shards = 1 }, CancellationToken.None);

        await AssertFailedOnRootsAsync(harness, store, job);
    }

    [Fact]
    public async Task The_finish_on_a_coordinator_whose_data_roots_refuse_the_job_fails_the_job()
    {
        var (harness, store, sharded, job) = await ArrangeAsync([new ShardProgress(2000, 1, 1, Committed: true)]);

        await sharded.TryFinishAsync(job.JobId, CancellationToken.None);

        await AssertFailedOnRootsAsync(harness, store, job);
    }

    /// <summary>A running dataset job with its shards at <paramref name="shards"/>, and a coordinator whose data roots
    /// (another machine's mounts, say) do not hold the job's paths.</summary>
    private async Task<(ITestHarness Harness, JobStore Store, ShardedJobs Sharded, SubmitEncodeJob Job)> ArrangeAsync(ShardProgress[] shards)
    {
        var harness = await _folders.StartHarnessAsync();
        var store = _folders.NewStore();
        var job = new SubmitEncodeJob
        {
            JobId = Guid.NewGuid(),
            Input = Path.Combine(_folders.Root, "in.parquet"),
            ModelPath = Path.Combine(_folders.Root, "model.safetensors"),
            OutputPath = Path.Combine(_folders.Root, "out") + Path.DirectorySeparatorChar,
            Outputs = "h_n",
        };
        store.AddIfNew(new JobRecord(job, JobState.Running, DateTimeOffset.UtcNow) { ShardsPublished = true, Shards = shards });
        var roots = new DataRoots([_otherRoot], "coordinator");
        var sharded = new ShardedJobs(store, roots, JobFixture.Job(new ReferenceDispatcher(_folders.Payloads), _folders.Payloads), _folders.Payloads, harness.Bus,
            new JobEvents(harness.Bus, new LogCollector<JobEvents>()), new LogCollector<ShardedJobs>());
        return (harness, store, sharded, job);
    }

    private static async Task AssertFailedOnRootsAsync(ITestHarness harness, JobStore store, SubmitEncodeJob job)
    {
        var record = store.Find(job.JobId)!;
        Assert.Equal(JobState.Failed, record.State);
        Assert.Contains("outside the coordinator's data roots", record.Reason);
        Assert.True(await harness.Published.Any<JobFailed>(m => m.Context.Message.JobId == job.JobId));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // IAsyncLifetime, not IAsyncDisposable: xunit 2 does not dispose test classes asynchronously, and the folders stayed in /tmp
    public async Task DisposeAsync()
    {
        await _folders.DisposeAsync();
        Directory.Delete(_otherRoot, recursive: true);
    }
}
