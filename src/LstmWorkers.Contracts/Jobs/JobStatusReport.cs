namespace LstmWorkers.Contracts.Jobs;

/// <summary>Reply to <see cref="GetJobStatus"/>.</summary>
public record JobStatusReport
{
    public JobStatus[] Jobs { get; init; } = [];
}
