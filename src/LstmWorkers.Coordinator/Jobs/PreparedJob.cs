using LstmWorkers.Coordinator.Planning;
using LstmWorkers.Data.Input;
using LstmWorkers.Data.Output;
using Microsoft.Extensions.Logging;

namespace LstmWorkers.Coordinator.Jobs;

/// <summary>
/// A job made ready by <see cref="EncodeJob.PrepareAsync"/>: its shards, and what encodes one of them into its output.
/// One process may encode every shard in order (<see cref="EncodeJob.RunAsync"/>), or many coordinators one shard each.
/// </summary>
internal sealed partial class PreparedJob(
    DatasetReader reader,
    IJobOutput output,
    IReadOnlyList<Shard> shards,
    ShardEncoder encoder,
    Func<int, OutputSchema> schemaFor,
    ILogger logger) : IAsyncDisposable
{
    public IReadOnlyList<Shard> Shards => shards;

    /// <summary>What the job's results are made from: an output made from another source is not resumed.</summary>
    public required CheckpointSource Source { get; init; }

    public required long RowsTotal { get; init; }

    /// <summary>The tokens, when a first pass counted them; 0 until the input has been read otherwise.</summary>
    public required long TokensTotal { get; init; }

    /// <summary>T, when known before the first shard (given, or found by a first pass); null: the longest row, known at the end.</summary>
    public required int? TotalLength { get; init; }

    /// <summary>The devices the workers reported, so far.</summary>
    public IReadOnlyList<string> Devices => encoder.Devices;

    /// <summary>The key-value metadata of every file of the output, given the longest row of the job.</summary>
    public IReadOnlyDictionary<string, string> MetadataFor(int longest) => schemaFor(longest).Metadata;

    /// <summary>
    /// Encodes <paramref name="shard"/> into the output and commits it, or, when the output already holds it committed
    /// (by an earlier run, or by another coordinator), only reports it.
    /// </summary>
    /// <param name="written">Called with the rows and tokens of each window once it is written (of the whole shard when it is skipped).</param>
    public async Task<ShardTally> EncodeShardAsync(Shard shard, Action<long, long> written, CancellationToken cancellationToken)
    {
        if (await output.FindCommittedAsync(shard, cancellationToken) is { } committed)
        {
            LogSkipped(logger, shard.Index, shard.Rows.First, shard.Rows.Count);
            written(committed.Rows, committed.Tokens);
            return committed;
        }

        await using var sink = await output.OpenShardAsync(shard, schemaFor(0), cancellationToken);
        return await encoder.RunAsync(shard, sink, MetadataFor, (rows, tokens) => written(rows, tokens), cancellationToken);
    }

    public ValueTask DisposeAsync() => reader.DisposeAsync();

    [LoggerMessage(Level = LogLevel.Information, Message = "Shard {Shard} (rows {FirstRow}, {Rows} of them) was committed by an earlier run; skipped")]
    private static partial void LogSkipped(ILogger logger, int shard, long firstRow, long rows);
}
