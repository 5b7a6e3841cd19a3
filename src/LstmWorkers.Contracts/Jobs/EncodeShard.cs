namespace LstmWorkers.Contracts.Jobs;

/// <summary>
/// Command between coordinators: encode one shard of a dataset job (contract §8) into its part. Any coordinator takes it
/// (competing consumers on one queue), acknowledges it only once the part is committed, and finishes the job when it
/// finds every part committed; a shard redelivered after its coordinator died is done again or found committed.
/// </summary>
public record EncodeShard
{
    public Guid JobId { get; init; }

    public int ShardIndex { get; init; }

    /// <summary>How many shards the job was planned into: a coordinator that plans the job differently refuses the shard.</summary>
    public int Shards { get; init; }
}
