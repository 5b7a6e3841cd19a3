namespace LstmWorkers.Contracts.Jobs;

/// <summary>Reply to <see cref="SubmitEncodeJob"/>: the job was refused (a path outside the data roots, a bad option).</summary>
public record JobRejected
{
    public Guid JobId { get; init; }

    public string Reason { get; init; } = "";
}
