namespace LstmWorkers.Contracts.Jobs;

/// <summary>Request: the state of one job, or of every job the coordinator knows when <see cref="JobId"/> is null.
/// Replied to with <see cref="JobStatusReport"/>.</summary>
public record GetJobStatus
{
    public Guid? JobId { get; init; }
}
