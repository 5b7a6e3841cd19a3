using System.Collections.Concurrent;
using LstmWorkers.Core.Lstm;
using LstmWorkers.Core.Models;
using Microsoft.Extensions.Logging;

namespace LstmWorkers.Worker;

/// <summary>
/// Models loaded onto this worker's backend, keyed by the SHA-256 of the model file: each model
/// is read and prepared once, then shared by every batch. Thread-safe; disposes the runners.
/// </summary>
public sealed partial class ModelCache(ILstmBackend backend, ILogger<ModelCache> logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<ILstmRunner>> _runners = new(StringComparer.Ordinal);

    public string Device => backend.Device;

    /// <summary>The runner for the model at <paramref name="path"/>, which must hash to <paramref name="sha256"/>.</summary>
    public ILstmRunner Get(string path, string sha256) => Runner(sha256, () => Load(path, sha256));

    /// <summary>
    /// Prepares <paramref name="model"/> before its first batch, so that an embedded run does it while its host starts.
    /// Never throws: a model this backend cannot take fails its first batch, with the same error.
    /// </summary>
    public void Preload(LstmModel model)
    {
        try
        {
            Runner(model.Sha256, () => Prepare(model));
        }
        catch (Exception e)
        {
            LogPreloadFailed(model.Sha256, e.Message);
        }
    }

    public void Dispose()
    {
        foreach (var lazy in _runners.Values.Where(l => l.IsValueCreated))
        {
            lazy.Value.Dispose();
        }
    }

    private ILstmRunner Runner(string sha256, Func<ILstmRunner> load)
    {
        var lazy = _runners.GetOrAdd(sha256, _ => new Lazy<ILstmRunner>(load));
        try
        {
            return lazy.Value;
        }
        catch
        {
            _runners.TryRemove(new KeyValuePair<string, Lazy<ILstmRunner>>(sha256, lazy));
            throw;
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

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not prepare model {ModelSha256} ahead of its batches: {Reason}")]
    private partial void LogPreloadFailed(string modelSha256, string reason);
}
