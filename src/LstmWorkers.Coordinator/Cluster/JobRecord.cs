using LstmWorkers.Contracts.Jobs;

namespace LstmWorkers.Coordinator.Cluster;

/// <summary>What the coordinator keeps about a submitted job in its state directory.</summary>
public sealed record JobRecord(SubmitEncodeJob Request, JobState State, DateTimeOffset SubmittedAt)
{
    public long RowsDone { get; init; }

    public long RowsTotal { get; init; }

    public long TokensDone { get; init; }

    public long TokensTotal { get; init; }

    public double ElapsedSeconds { get; init; }

    public string? Reason { get; init; }

    public int TotalLength { get; init; }

    public int Batches { get; init; }

    public string[] Devices { get; init; } = [];

    /// <summary>T as planned before the first shard (given, or found by a first pass), for every coordinator that encodes
    /// a shard of the job; null when it is the longest row, found at the end.</summary>
    public int? PlannedTotalLength { get; init; }

    /// <summary>A dataset job's shards, as far as the coordinators encoding them have got; null before any.</summary>
    public ShardProgress[]? Shards { get; init; }

    /// <summary>True once every shard of the job was published (<see cref="EncodeShard"/>): the coordinators that take
    /// them run the job from then on, and the last to commit a part finishes it.</summary>
    public bool ShardsPublished { get; init; }

    /// <summary>The record with shard <paramref name="index"/> of <paramref name="count"/> at <paramref name="progress"/>,
    /// and the job's figures summed over its shards.</summary>
    public JobRecord WithShard(int index, int count, ShardProgress progress)
    {
        var shards = Shards?.Length == count ? (ShardProgress[])Shards.Clone() : new ShardProgress[count];
        shards[index] = progress;
        return this with
        {
            Shards = shards,
            RowsDone = shards.Sum(s => s?.Rows ?? 0),
            TokensDone = shards.Sum(s => s?.Tokens ?? 0),
            Batches = shards.Sum(s => s?.Batches ?? 0),
            ElapsedSeconds = (DateTimeOffset.UtcNow - SubmittedAt).TotalSeconds,
        };
    }

    public JobStatus ToStatus() => new()
    {
        JobId = Request.JobId,
        State = State,
        Input = Request.Input,
        OutputPath = Request.OutputPath,
        RowsDone = RowsDone,
        RowsTotal = RowsTotal,
        TokensDone = TokensDone,
        TokensTotal = TokensTotal,
        ElapsedSeconds = ElapsedSeconds,
        TotalLength = TotalLength,
        Batches = Batches,
        Devices = Devices,
        Reason = Reason,
    };
}
