namespace LstmWorkers.Coordinator.Jobs;

/// <summary>A job's progress: rows and tokens (time steps) written so far, out of the totals.</summary>
public sealed record EncodeJobProgress(long RowsDone, long RowsTotal, long TokensDone, long TokensTotal, TimeSpan Elapsed)
{
    public double TokensPerSecond => Elapsed.TotalSeconds > 0 ? TokensDone / Elapsed.TotalSeconds : 0;

    /// <summary>Estimated time to completion at the rate so far; null until there is a rate.</summary>
    public TimeSpan? Remaining => TokensDone > 0 && TokensPerSecond > 0
        ? TimeSpan.FromSeconds((TokensTotal - TokensDone) / TokensPerSecond)
        : null;
}
