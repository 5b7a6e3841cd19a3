namespace LstmWorkers.Data.Input;

/// <summary>The result of a full validating pass (<see cref="DatasetReader.ScanAsync"/>).</summary>
/// <param name="Rows">Number of rows.</param>
/// <param name="Tokens">Total time steps over all rows, after truncation.</param>
/// <param name="MaxLength">The longest row in time steps, after truncation (0 when every row is empty or there are no rows).</param>
public sealed record DatasetStats(long Rows, long Tokens, int MaxLength);
