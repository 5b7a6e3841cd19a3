namespace LstmWorkers.Contracts.Jobs;

/// <summary>Event: the job's output (a file, or a dataset's directory with its <c>_SUCCESS</c>) is complete at <see cref="OutputPath"/>.</summary>
public record JobCompleted
{
    public Guid JobId { get; init; }

    public string OutputPath { get; init; } = "";

    public long Rows { get; init; }

    public long Tokens { get; init; }

    public int TotalLength { get; init; }

    public int Batches { get; init; }

    public double ElapsedSeconds { get; init; }

    public string[] Devices { get; init; } = [];
}
