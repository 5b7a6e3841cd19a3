namespace LstmWorkers.Contracts.Jobs;

/// <summary>Event: the job stopped without output; <see cref="Reason"/> names the file, row, id and column when the data was at fault.</summary>
public record JobFailed
{
    public Guid JobId { get; init; }

    public string Reason { get; init; } = "";
}
