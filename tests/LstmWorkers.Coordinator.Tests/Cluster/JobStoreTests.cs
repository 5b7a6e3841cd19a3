using LstmWorkers.Contracts.Jobs;
using LstmWorkers.Coordinator.Cluster;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LstmWorkers.Coordinator.Tests.Cluster;

public sealed class JobStoreTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("lstmw-state-").FullName;

    private string Jobs => Path.Combine(_state, "jobs");

    [Fact]
    public void A_record_that_cannot_be_read_is_skipped_and_logged_and_the_others_are_kept()
    {
        var job = Job();
        Store().AddIfNew(new JobRecord(job, JobState.Queued, DateTimeOffset.UtcNow));
        File.WriteAllBytes(Path.Combine(Jobs, "x.json"), [(byte)'P', (byte)'A', (byte)'R', (byte)'1', 0, 1, 2]);
        File.WriteAllText(Path.Combine(Jobs, "empty.json"), "{}");
        var logs = new LogCollector<JobStore>();

        var store = Store(logs);

        Assert.Equal([job.JobId], store.All.Select(r => r.Request.JobId));
        Assert.Equal(2, logs.Entries.Count(l => l.Level == LogLevel.Warning && l.Message.Contains("skipped", StringComparison.Ordinal)));
    }

    [Fact]
    public void Records_are_written_whole_under_their_name_with_no_temporary_file_left()
    {
        var job = Job();
        var store = Store();

        store.AddIfNew(new JobRecord(job, JobState.Queued, DateTimeOffset.UtcNow));
        store.Update(job.JobId, r => r with { State = JobState.Running, RowsDone = 5 });

        Assert.Equal([$"{job.JobId}.json"], Directory.EnumerateFileSystemEntries(Jobs).Select(Path.GetFileName));
        Assert.Equal(5, Store().Find(job.JobId)!.RowsDone);
    }

    [Fact]
    public void Two_stores_on_one_state_directory_see_each_others_records_and_changes()
    {
        var job = Job();
        var first = Store();
        var second = Store();

        first.AddIfNew(new JobRecord(job, JobState.Queued, DateTimeOffset.UtcNow));
        Assert.Equal(JobState.Queued, second.Find(job.JobId)!.State);
        second.Update(job.JobId, r => r with { State = JobState.Running });

        Assert.Equal(JobState.Running, first.Find(job.JobId)!.State);
        Assert.Equal([job.JobId], first.All.Select(r => r.Request.JobId));
    }

    [Fact]
    public void A_job_id_added_by_two_stores_at_once_is_created_once_and_both_get_the_first_record()
    {
        var job = Job();
        var stores = new[] { Store(), Store() };
        var records = new JobRecord[stores.Length];

        Parallel.For(0, stores.Length, i => records[i] = stores[i].AddIfNew(new JobRecord(job, JobState.Queued, DateTimeOffset.UnixEpoch.AddDays(i))));

        Assert.Single(records.Select(r => r.SubmittedAt).Distinct());
        Assert.Equal(records[0].SubmittedAt, Store().Find(job.JobId)!.SubmittedAt);
    }

    [Fact]
    public void Updates_from_two_stores_at_once_lose_none_of_each_others_changes()
    {
        var job = Job();
        var stores = new[] { Store(), Store() };
        stores[0].AddIfNew(new JobRecord(job, JobState.Running, DateTimeOffset.UtcNow));

        var threads = Enumerable.Range(0, 4).Select(i => new Thread(() =>
        {
            for (int update = 0; update < 25; update++)
            {
                stores[i % 2].Update(job.JobId, r => r with { RowsDone = r.RowsDone + 1 });
            }
        })).ToArray();
        Array.ForEach(threads, t => t.Start());
        Array.ForEach(threads, t => t.Join());

        Assert.Equal(100, Store().Find(job.JobId)!.RowsDone);
    }

    [Fact]
    public void Shard_progress_from_two_coordinators_is_kept_per_shard_and_summed_for_the_job()
    {
        var job = Job();
        var stores = new[] { Store(), Store() };
        stores[0].AddIfNew(new JobRecord(job, JobState.Running, DateTimeOffset.UtcNow) { PlannedTotalLength = 17 });

        stores[0].Update(job.JobId, r => r.WithShard(2, 3, new ShardProgress(40, 400, 0, Committed: false)));
        stores[1].Update(job.JobId, r => r.WithShard(0, 3, new ShardProgress(100, 900, 7, Committed: true)));
        stores[0].Update(job.JobId, r => r.WithShard(2, 3, new ShardProgress(50, 500, 4, Committed: true))); // the same shard, further on
        var record = Store().Find(job.JobId)!;

        Assert.Equal(new ShardProgress?[] { new(100, 900, 7, true), null, new(50, 500, 4, true) }, record.Shards!.AsEnumerable());
        Assert.Equal((150, 1400, 11), (record.RowsDone, record.TokensDone, record.Batches));
        Assert.Equal(17, record.PlannedTotalLength);
        Assert.False(record.ShardsPublished);
    }

    public void Dispose() => Directory.Delete(_state, recursive: true);

    private JobStore Store(LogCollector<JobStore>? logs = null) =>
        new(Options.Create(new CoordinatorOptions { StateDirectory = _state }), logs ?? new LogCollector<JobStore>());

    private static SubmitEncodeJob Job() => new() { JobId = Guid.NewGuid(), Input = "in.parquet", ModelPath = "m.safetensors", OutputPath = "out.parquet" };
}
