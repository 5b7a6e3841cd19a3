namespace LstmWorkers.Coordinator.Planning;

/// <summary>
/// One packed batch cut from a window: <see cref="Rows"/> are window-relative row indices sorted
/// by decreasing length (ties in input order); <see cref="BatchSizes"/>[t] counts those longer than t.
/// </summary>
public sealed record PlannedBatch(int[] Rows, int[] BatchSizes, long Tokens);
