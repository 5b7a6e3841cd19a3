namespace LstmWorkers.Contracts.Jobs;

/// <summary>Event: rows and tokens written so far (published at most about once a second per job).</summary>
public record JobProgressed
{
    public Guid JobId { get; init; }

    public long RowsDone { get; init; }

    public long RowsTotal { get; init; }

    public long TokensDone { get; init; }

    /// <summary>All the input's tokens; 0 until known (a job that needs no first pass over its input learns it as it reads).</summary>
    public long TokensTotal { get; init; }

    public double ElapsedSeconds { get; init; }
}
