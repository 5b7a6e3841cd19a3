using LstmWorkers.Core.Lstm;
using LstmWorkers.Core.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LstmWorkers.Worker;

/// <summary>
/// Models loaded onto this worker's backend, keyed by the SHA-256 of the model file: each model is read (through
/// <see cref="LstmModel.Load"/>: a regular file only, every size checked) and prepared once, then shared by every
/// batch. At most <see cref="WorkerOptions.MaxCachedModels"/> stay loaded: beyond that the least recently used model
/// that no batch is running on is evicted and its runner disposed. A model in use is never evicted (so it is never
/// loaded twice); if every model is in use the cache holds more until their batches end. Thread-safe.
/// </summary>
public sealed partial class ModelCache(ILstmBackend backend, IOptions<WorkerOptions> options, ILogger<ModelCache> logger) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly int _maxModels = options.Value.MaxCachedModels;
    private long _clock;
    private bool _disposed;

    public string Device => backend.Device;

    /// <summary>
    /// Runs <paramref name="batch"/> on the model at <paramref name="path"/>, which must hash to <paramref name="sha256"/>,
    /// loading it first unless it is cached. Its runner is not disposed before the run returns.
    /// </summary>
    public LstmBatchResult Run(string path, string sha256, LstmBatch batch, CancellationToken cancellationToken)
    {
        var entry = Acquire(sha256, () => Load(path, sha256));
        try
        {
            return entry.Runner.Run(batch, cancellationToken);
        }
        finally
        {
            Release(entry);
        }
    }

    /// <summary>
    /// Prepares <paramref name="model"/> before its first batch, so that an embedded run does it while its host starts.
    /// Never throws: a model this backend cannot take fails its first batch, with the same error.
    /// </summary>
    public void Preload(LstmModel model)
    {
        try
        {
            Release(Acquire(model.Sha256, () => Prepare(model)));
        }
        catch (Exception e)
        {
            LogPreloadFailed(model.Sha256, e.Message);
        }
    }

    public void Dispose()
    {
        Entry[] entries;
        lock (_lock)
        {
            _disposed = true;
            entries = [.. _entries.Values];
            _entries.Clear();
        }

        foreach (var entry in entries)
        {
            entry.Dispose();
        }
    }

    /// <summary>The entry for <paramref name="sha256"/>, loaded, with a lease the caller must <see cref="Release"/>.</summary>
    private Entry Acquire(string sha256, Func<ILstmRunner> load)
    {
        Entry entry;
        List<Entry> evicted;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_entries.TryGetValue(sha256, out entry!))
            {
                entry = new Entry(sha256, load);
                _entries.Add(sha256, entry);
            }

            entry.Leases++;
            entry.LastUse = ++_clock;
            evicted = EvictIdle(); // before the load, so a new model does not wait in memory beside the one it replaces
        }

        Dispose(evicted);
        try
        {
            _ = entry.Runner; // loads once; concurrent callers wait for the same load
            return entry;
        }
        catch
        {
            lock (_lock)
            {
                entry.Leases--;
                if (_entries.GetValueOrDefault(sha256) == entry)
                {
                    _entries.Remove(sha256); // a failed load is not kept: the next batch tries again
                }
            }

            throw;
        }
    }

    private void Release(Entry entry)
    {
        List<Entry> evicted;
        lock (_lock)
        {
            entry.Leases--;
            entry.LastUse = ++_clock;
            evicted = EvictIdle();
        }

        Dispose(evicted);
    }

    /// <summary>Takes the least recently used entries without a lease out of the map while it holds too many. Under the lock.</summary>
    private List<Entry> EvictIdle()
    {
        var evicted = new List<Entry>();
        while (_entries.Count > _maxModels && _entries.Values.Where(e => e.Leases == 0).MinBy(e => e.LastUse) is { } idle)
        {
            _entries.Remove(idle.Sha256);
            evicted.Add(idle);
        }

        return evicted;
    }

    /// <summary>Disposes evicted entries: out of the map and without a lease, no batch can reach them any more.</summary>
    private void Dispose(List<Entry> evicted)
    {
        foreach (var entry in evicted)
        {
            LogEvicted(entry.Sha256, _maxModels);
            entry.Dispose();
        }
    }

    private ILstmRunner Load(string path, string sha256)
    {
        var model = LstmModel.Load(path);
        if (!string.Equals(model.Sha256, sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelFormatException(
                $"{path}: the file's SHA-256 is {model.Sha256} but the job was planned with {sha256}; the model file changed during the job");
        }

        return Prepare(model);
    }

    private ILstmRunner Prepare(LstmModel model)
    {
        LogLoaded(model.Sha256, model.Config.ToString(), backend.Device);
        return backend.Load(model);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded model {ModelSha256} ({Config}) on {Device}")]
    private partial void LogLoaded(string modelSha256, string config, string device);

    [LoggerMessage(Level = LogLevel.Information, Message = "Evicted model {ModelSha256}: more than {MaxCachedModels} models were loaded")]
    private partial void LogEvicted(string modelSha256, int maxCachedModels);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not prepare model {ModelSha256} ahead of its batches: {Reason}")]
    private partial void LogPreloadFailed(string modelSha256, string reason);

    /// <summary>One cached model: its runner, loaded on first use, and the batches holding it (guarded by the cache's lock).</summary>
    private sealed class Entry(string sha256, Func<ILstmRunner> load) : IDisposable
    {
        private readonly Lazy<ILstmRunner> _runner = new(load);

        public string Sha256 { get; } = sha256;

        public ILstmRunner Runner => _runner.Value;

        public int Leases { get; set; }

        public long LastUse { get; set; }

        public void Dispose()
        {
            if (_runner.IsValueCreated)
            {
                _runner.Value.Dispose();
            }
        }
    }
}
