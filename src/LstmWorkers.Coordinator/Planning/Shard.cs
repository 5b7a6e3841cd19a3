using LstmWorkers.Data.Input;

namespace LstmWorkers.Coordinator.Planning;

/// <summary>Shard <paramref name="Index"/> of a job: the input's <paramref name="Rows"/>, encoded into one output (a dataset's part <paramref name="Index"/>).</summary>
public sealed record Shard(int Index, RowRange Rows);
