namespace LstmWorkers.Coordinator.Jobs;

/// <summary>The figures of one finished shard.</summary>
/// <param name="Longest">The longest row's steps (0 when every row is empty).</param>
/// <param name="Batches">The batches sent to encode it (0 for a shard committed by an earlier run).</param>
public sealed record ShardTally(long Rows, long Tokens, int Longest, int Batches);
