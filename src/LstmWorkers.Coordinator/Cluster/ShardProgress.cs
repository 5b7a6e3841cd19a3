namespace LstmWorkers.Coordinator.Cluster;

/// <summary>How far one shard of a dataset job has got; <paramref name="Committed"/> once its part is.</summary>
public sealed record ShardProgress(long Rows, long Tokens, int Batches, bool Committed);
