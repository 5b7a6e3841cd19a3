namespace LstmWorkers.Coordinator.Jobs;

/// <summary>A job's progress: rows and tokens (time steps) written so far, out of the totals.</summary>
/// <param name="TokensTotal">All the input's tokens, or 0 while not known (the input is read only once and not all read yet).</param>
public sealed record EncodeJobProgress(long RowsDone, long RowsTotal, long TokensDone, long TokensTotal, TimeSpan Elapsed)
{
    public double TokensPerSecond => Elapsed.TotalSeconds > 0 ? TokensDone / Elapsed.TotalSeconds : 0;

    /// <summary>Estimated time to completion at the rate so far (in tokens, or in rows while the tokens to do are unknown); null until there is a rate.</summary>
    public TimeSpan? Remaining => (TokensTotal > 0 ? (TokensDone, TokensTotal) : (RowsDone, RowsTotal)) is var (done, total) && done > 0
        ? Elapsed * ((double)(total - done) / done)
        : null;
}
