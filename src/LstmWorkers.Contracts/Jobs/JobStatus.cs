namespace LstmWorkers.Contracts.Jobs;

/// <summary>One job as the coordinators know it.</summary>
public record JobStatus
{
    public Guid JobId { get; init; }

    public JobState State { get; init; }

    public string Input { get; init; } = "";

    public string OutputPath { get; init; } = "";

    public long RowsDone { get; init; }

    public long RowsTotal { get; init; }

    public long TokensDone { get; init; }

    /// <summary>All the input's tokens; 0 until known (a job that needs no first pass over its input learns it as it reads).</summary>
    public long TokensTotal { get; init; }

    public double ElapsedSeconds { get; init; }

    /// <summary>T of the output (once known: given, found by the first pass, or at the end).</summary>
    public int TotalLength { get; init; }

    public int Batches { get; init; }

    /// <summary>The devices the workers reported, once the job completed.</summary>
    public string[] Devices { get; init; } = [];

    /// <summary>Why the job failed, when it did.</summary>
    public string? Reason { get; init; }
}
