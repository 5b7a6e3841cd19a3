using LstmWorkers.Coordinator.Planning;
using LstmWorkers.Data.Output;

namespace LstmWorkers.Coordinator.Jobs;

/// <summary>
/// One output file in one shard whose finished windows are kept in <paramref name="checkpointDirectory"/>
/// (<see cref="CheckpointSink"/>), so that a restarted cluster coordinator redoes only the windows it had not finished.
/// </summary>
internal sealed class CheckpointedFileOutput(string path, string checkpointDirectory) : IJobOutput
{
    private CheckpointSource? _source;

    public string Path => path;

    public long? RowsPerShard(long rowBytes) => null;

    public Task StartAsync(CheckpointSource source, CancellationToken cancellationToken)
    {
        _source = source;
        return Task.CompletedTask;
    }

    public Task<ShardTally?> FindCommittedAsync(Shard shard, CancellationToken cancellationToken) => Task.FromResult<ShardTally?>(null);

    public Task<IWindowSink> OpenShardAsync(Shard shard, OutputSchema schema, CancellationToken cancellationToken) =>
        Task.FromResult<IWindowSink>(CheckpointSink.Open(checkpointDirectory, path, schema,
            _source ?? throw new InvalidOperationException("the output was not started")));

    /// <summary>Nothing left to do: the file was completed with its shard, the whole input.</summary>
    public Task CompleteAsync(IReadOnlyList<Shard> shards, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    public void Discard() => CheckpointSink.Delete(checkpointDirectory);
}
