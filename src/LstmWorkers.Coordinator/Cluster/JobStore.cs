using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace LstmWorkers.Coordinator.Cluster;

/// <summary>
/// Jobs kept in the coordinator's state directory, one JSON file each (<c>jobs/&lt;id&gt;.json</c>,
/// replaced atomically), so a restarted coordinator knows every job and resumes the unfinished ones.
/// Thread-safe.
/// </summary>
public sealed class JobStore
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };
    private readonly ConcurrentDictionary<Guid, JobRecord> _jobs = new();
    private readonly string _directory;
    private readonly Lock _writeLock = new();

    public JobStore(IOptions<CoordinatorOptions> options)
    {
        _directory = Path.Combine(Path.GetFullPath(options.Value.StateDirectory), "jobs");
        Directory.CreateDirectory(_directory);
        foreach (string file in Directory.EnumerateFiles(_directory, "*.json"))
        {
            var record = JsonSerializer.Deserialize<JobRecord>(File.ReadAllBytes(file), Json);
            if (record is not null)
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
    public void DeleteWindows(Guid jobId)
    {
        if (Directory.Exists(WindowDirectory(jobId)))
        {
            Directory.Delete(WindowDirectory(jobId), recursive: true);
        }
    }

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
        string path = Path.Combine(_directory, $"{record.Request.JobId}.json");
        string temporary = path + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(record, Json));
        File.Move(temporary, path, overwrite: true);
        _jobs[record.Request.JobId] = record;
    }
}
