namespace LstmWorkers.Contracts.Batches;

/// <summary>Event (a reply to <see cref="EncodeBatch"/>): the batch cannot succeed, whoever retries it
/// (a model file that is missing or changed, data the model cannot take).</summary>
public record BatchFailed
{
    public Guid JobId { get; init; }

    public int ShardIndex { get; init; }

    public int WindowIndex { get; init; }

    public int BatchIndex { get; init; }

    public string Reason { get; init; } = "";
}
