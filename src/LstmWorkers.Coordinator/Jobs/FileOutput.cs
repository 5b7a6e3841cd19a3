using LstmWorkers.Coordinator.Planning;
using LstmWorkers.Data.Output;

namespace LstmWorkers.Coordinator.Jobs;

/// <summary>One output file written straight from the windows, in one shard (an embedded run: nothing to resume).</summary>
public sealed class FileOutput(string path) : IJobOutput
{
    public string Path => path;

    public long? RowsPerShard(long rowBytes) => null;

    public Task StartAsync(CheckpointSource source, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<ShardTally?> FindCommittedAsync(Shard shard, CancellationToken cancellationToken) => Task.FromResult<ShardTally?>(null);

    public async Task<IWindowSink> OpenShardAsync(Shard shard, OutputSchema schema, CancellationToken cancellationToken) =>
        new OutputFileSink(await EncodingWriter.CreateAsync(path, schema, cancellationToken));

    /// <summary>Nothing left to do: the file was completed with its shard, the whole input.</summary>
    public Task CompleteAsync(IReadOnlyList<Shard> shards, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    /// <summary>Nothing to remove: the sink deletes its temporary file when it is disposed unfinished.</summary>
    public void Discard()
    {
    }
}
