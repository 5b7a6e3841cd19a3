using System.Text.Json;
using System.Text.Json.Serialization;
using LstmWorkers.Contracts.Jobs;
using LstmWorkers.Coordinator.Jobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LstmWorkers.Coordinator.Cluster;

/// <summary>
/// Jobs kept in the coordinators' state directory, one JSON file each (<c>jobs/&lt;id&gt;.json</c>, replaced atomically
/// and durably), which any number of coordinator processes may share (contract §8): nothing is cached, every read reads
/// the file, a new job is created only if absent, and a change is made under the job's lock
/// (<see cref="JobLock"/>), so no coordinator's change is lost to another's. A file there that is no job record is
/// skipped, with a warning. Thread-safe.
/// </summary>
public sealed partial class JobStore
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };
    private readonly string _directory;
    private readonly string _locks;
    private readonly ILogger<JobStore> _logger;

    /// <summary>How often a running job's record is read for a cancel recorded elsewhere.</summary>
    public static readonly TimeSpan RecordPollInterval = TimeSpan.FromSeconds(1);

    public JobStore(IOptions<CoordinatorOptions> options, ILogger<JobStore> logger)
    {
        _logger = logger;
        string state = Path.GetFullPath(options.Value.EffectiveStateDirectory);
        _directory = Path.Combine(state, "jobs");
        _locks = Path.Combine(state, "locks");
        DurableFiles.CreateDirectory(_directory);
        DurableFiles.CreateDirectory(_locks);
    }

    /// <summary>Every job the state directory holds, in submission order.</summary>
    public IReadOnlyCollection<JobRecord> All => Directory.EnumerateFiles(_directory, "*.json")
        .Select(Read).OfType<JobRecord>().OrderBy(j => j.SubmittedAt).ToArray();

    public JobRecord? Find(Guid jobId) => File.Exists(RecordFile(jobId)) ? Read(RecordFile(jobId)) : null;

    /// <summary>Where the job's finished windows are kept until its output is complete.</summary>
    public string WindowDirectory(Guid jobId) => Path.Combine(_directory, $"{jobId}.windows");

    /// <summary>Removes a finished job's kept windows (what a completed job has already removed).</summary>
    public void DeleteWindows(Guid jobId) => CheckpointSink.Delete(WindowDirectory(jobId));

    /// <summary>
    /// Adds a new job; returns the existing record instead when the id is already known — also when another coordinator
    /// adds the same id at the same moment: the record is written aside and renamed into place only if none is there.
    /// </summary>
    public JobRecord AddIfNew(JobRecord record)
    {
        string file = RecordFile(record.Request.JobId);
        string aside = Path.Combine(_locks, $"{record.Request.JobId}.{Guid.NewGuid():N}.new");
        DurableFiles.Write(aside, JsonSerializer.SerializeToUtf8Bytes(record, Json));
        if (DurableFiles.RenameNoReplace(aside, file))
        {
            return record;
        }

        File.Delete(aside);
        return Find(record.Request.JobId) ?? throw new IOException($"{file}: the job's record exists but cannot be read");
    }

    /// <summary>
    /// The right to run the job, held by one coordinator process at a time until disposed, or by nobody once its holder
    /// died; null when another holds it.
    /// </summary>
    public IDisposable? TryTakeJob(Guid jobId) => JobLock.TryAcquire(Path.Combine(_locks, $"{jobId}.run"));

    /// <summary>Changes a job's record under its lock, from the record as it is on disk now.</summary>
    /// <exception cref="KeyNotFoundException">No such job.</exception>
    public JobRecord Update(Guid jobId, Func<JobRecord, JobRecord> change)
    {
        using var held = JobLock.Acquire(Path.Combine(_locks, $"{jobId}.lock"));
        var record = change(Find(jobId) ?? throw new KeyNotFoundException($"job {jobId} has no record in {_directory}"));
        DurableFiles.Write(RecordFile(jobId), JsonSerializer.SerializeToUtf8Bytes(record, Json));
        return record;
    }

    /// <summary>Cancels <paramref name="cancellation"/> once the job's record says it finished (cancelled or failed by
    /// another coordinator), reading it every <see cref="RecordPollInterval"/>; returns when <paramref name="cancellation"/> is cancelled.</summary>
    public async Task CancelWhenFinishedAsync(Guid jobId, CancellationTokenSource cancellation)
    {
        using var timer = new PeriodicTimer(RecordPollInterval);
        while (await timer.WaitForNextTickAsync(cancellation.Token).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result, TaskScheduler.Default))
        {
            if (Find(jobId) is { } record && record.State.IsFinished())
            {
                await cancellation.CancelAsync();
                return;
            }
        }
    }

    private string RecordFile(Guid jobId) => Path.Combine(_directory, $"{jobId}.json");

    private JobRecord? Read(string file)
    {
        try
        {
            return JsonSerializer.Deserialize<JobRecord>(File.ReadAllBytes(file), Json) is { Request: not null } record
                ? record
                : throw new JsonException("it holds no job");
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            LogSkipped(file, e.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job record {File} skipped: it cannot be read as a job ({Reason})")]
    private partial void LogSkipped(string file, string reason);
}
