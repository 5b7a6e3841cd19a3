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

    public void Dispose() => Directory.Delete(_state, recursive: true);

    private JobStore Store(LogCollector<JobStore>? logs = null) =>
        new(Options.Create(new CoordinatorOptions { StateDirectory = _state }), logs ?? new LogCollector<JobStore>());

    private static SubmitEncodeJob Job() => new() { JobId = Guid.NewGuid(), Input = "in.parquet", ModelPath = "m.safetensors", OutputPath = "out.parquet" };
}
