namespace LstmWorkers.Contracts.Jobs;

/// <summary>Reply to <see cref="SubmitEncodeJob"/>: the job is queued or running (or already finished, when resubmitted).</summary>
public record JobAccepted
{
    public Guid JobId { get; init; }
}
