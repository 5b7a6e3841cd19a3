using LstmWorkers.Coordinator.Planning;
using LstmWorkers.Data.Output;

namespace LstmWorkers.Coordinator.Jobs;

/// <summary>
/// Where a job's results go, chosen by whoever runs the job (<see cref="EncodeJob.RunAsync"/>'s caller): one file
/// (<see cref="FileOutput"/>), one file whose windows are kept to resume (<see cref="CheckpointedFileOutput"/>), or a
/// dataset of parts (<see cref="Datasets.DatasetOutput"/>). The job calls <see cref="StartAsync"/>, then, shard by shard
/// in order, <see cref="FindCommittedAsync"/> and, for a shard not found, <see cref="OpenShardAsync"/>, and at last
/// <see cref="CompleteAsync"/>.
/// </summary>
public interface IJobOutput
{
    /// <summary>The path the job's summary names.</summary>
    string Path { get; }

    /// <summary>The most rows of one shard, for results of <paramref name="rowBytes"/> bytes a row; null: the whole input is one shard.</summary>
    long? RowsPerShard(long rowBytes);

    /// <summary>
    /// Prepares the output of a job whose results are made from <paramref name="source"/>, before any shard: what an earlier
    /// run made from the same source is kept, anything else is removed.
    /// </summary>
    Task StartAsync(CheckpointSource source, CancellationToken cancellationToken);

    /// <summary>The figures of <paramref name="shard"/> when an earlier run of the job has committed it, else null (encode it).</summary>
    Task<ShardTally?> FindCommittedAsync(Shard shard, CancellationToken cancellationToken);

    /// <summary>Where <paramref name="shard"/>'s windows go; the sink's <see cref="IWindowSink.CompleteAsync"/> commits the shard.</summary>
    Task<IWindowSink> OpenShardAsync(Shard shard, OutputSchema schema, CancellationToken cancellationToken);

    /// <summary>Makes the output complete once every shard of <paramref name="shards"/> is committed.</summary>
    /// <param name="metadata">The key-value metadata every file of the output must hold (T is only known now when no shard needed it).</param>
    Task CompleteAsync(IReadOnlyList<Shard> shards, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken);

    /// <summary>Removes what the job left in progress, after it failed or was cancelled (not when it stops to be resumed).</summary>
    void Discard();
}
