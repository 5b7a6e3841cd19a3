namespace LstmWorkers.Contracts.Jobs;

/// <summary>Request: stop a queued or running job (no output is written). Replied to with <see cref="JobStatusReport"/> holding the job.</summary>
public record CancelJob
{
    public Guid JobId { get; init; }
}
