using LstmWorkers.Contracts.Batches;

namespace LstmWorkers.Coordinator.Dispatch;

/// <summary>Sends a batch to some worker and returns its result, or throws <see cref="BatchFailedException"/>.</summary>
public interface IBatchDispatcher
{
    Task<BatchEncoded> DispatchAsync(EncodeBatch batch, CancellationToken cancellationToken);
}
