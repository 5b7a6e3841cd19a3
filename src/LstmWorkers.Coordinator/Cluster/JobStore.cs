using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using LstmWorkers.Coordinator.Jobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LstmWorkers.Coordinator.Cluster;

/// <summary>
/// Jobs kept in the coordinator's state directory, one JSON file each (<c>jobs/&lt;id&gt;.json</c>, replaced atomically
/// and durably), so a restarted coordinator knows every job and resumes the unfinished ones. A file there that is no
/// job record is skipped, with a warning, not allowed to stop the start. Thread-safe.
/// </summary>
public sealed partial class JobStore
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };
    private readonly ConcurrentDictionary<Guid, JobRecord> _jobs = new();
    private readonly string _directory;
    private readonly Lock _writeLock = new();
    private readonly ILogger<JobStore> _logger;

    public JobStore(IOptions<CoordinatorOptions> options, ILogger<JobStore> logger)
    {
        _logger = logger;
        _directory = Path.Combine(Path.GetFullPath(options.Value.EffectiveStateDirectory), "jobs");
        DurableFiles.CreateDirectory(_directory);
        foreach (string file in Directory.EnumerateFiles(_directory, "*.json"))
        {
            if (Read(file) is { } record)
            {
                _jobs[record.Request.JobId] = record;
            }
        }
    }

    public IReadOnlyCollection<JobRecord> All => _jobs.Values.OrderBy(j => j.SubmittedAt).ToArray();

    public JobRecord? Find(Guid jobId) => _jobs.GetValueOrDefault(jobId);

    /// <summary>Where the job's finished windows are kept until its output is complete.</summary>
    public string WindowDirectory(Guid jobId) => Path.Combine(_directory, $"{jobId}.windows");

    /// <summary>Removes a finished job's kept windows (what a completed job has already removed).</summary>
    public void DeleteWindows(Guid jobId) => CheckpointSink.Delete(WindowDirectory(jobId));

    /// <summary>Adds a new job; returns the existing record instead when the id is already known.</summary>
    public JobRecord AddIfNew(JobRecord record)
    {
        lock (_writeLock)
        {
            if (_jobs.TryGetValue(record.Request.JobId, out var existing))
            {
                return existing;
            }

            Save(record);
            return record;
        }
    }

    public JobRecord Update(Guid jobId, Func<JobRecord, JobRecord> change)
    {
        lock (_writeLock)
        {
            var record = change(_jobs[jobId]);
            Save(record);
            return record;
        }
    }

    private void Save(JobRecord record)
    {
        DurableFiles.Write(Path.Combine(_directory, $"{record.Request.JobId}.json"), JsonSerializer.SerializeToUtf8Bytes(record, Json));
        _jobs[record.Request.JobId] = record;
    }

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
