using LstmWorkers.Contracts.Jobs;

namespace LstmWorkers.Coordinator.Cluster;

/// <summary>What the coordinator keeps about a submitted job in its state directory.</summary>
public sealed record JobRecord(SubmitEncodeJob Request, JobState State, DateTimeOffset SubmittedAt)
{
    public long RowsDone { get; init; }

    public long RowsTotal { get; init; }

    public long TokensDone { get; init; }

    public long TokensTotal { get; init; }

    public double ElapsedSeconds { get; init; }

    public string? Reason { get; init; }

    public int TotalLength { get; init; }

    public int Batches { get; init; }

    public string[] Devices { get; init; } = [];

    public JobStatus ToStatus() => new()
    {
        JobId = Request.JobId,
        State = State,
        Input = Request.Input,
        OutputPath = Request.OutputPath,
        RowsDone = RowsDone,
        RowsTotal = RowsTotal,
        TokensDone = TokensDone,
        TokensTotal = TokensTotal,
        ElapsedSeconds = ElapsedSeconds,
        TotalLength = TotalLength,
        Batches = Batches,
        Devices = Devices,
        Reason = Reason,
    };
}
