namespace LstmWorkers.Contracts.Jobs;

/// <summary>Event: rows and tokens written so far (published at most about once a second per job).</summary>
public record JobProgressed
{
    public Guid JobId { get; init; }

    public long RowsDone { get; init; }

    public long RowsTotal { get; init; }

    public long TokensDone { get; init; }

    public long TokensTotal { get; init; }

    public double ElapsedSeconds { get; init; }
}
