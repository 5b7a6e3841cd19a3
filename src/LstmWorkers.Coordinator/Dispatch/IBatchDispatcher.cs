using LstmWorkers.Contracts.Batches;

namespace LstmWorkers.Coordinator.Dispatch;

/// <summary>Sends batches to workers.</summary>
public interface IBatchDispatcher
{
    /// <summary>
    /// Sends <paramref name="batch"/> to some worker. The returned task completes once the batch has been handed to the
    /// transport (or could not be), so that batches sent one after another reach the workers in that order; its value
    /// is the task of the batch's result, which fails with <see cref="BatchFailedException"/>.
    /// </summary>
    Task<Task<BatchEncoded>> SendAsync(EncodeBatch batch, CancellationToken cancellationToken);
}

public static class BatchDispatcherExtensions
{
    /// <summary>Sends <paramref name="batch"/> and waits for its result.</summary>
    public static async Task<BatchEncoded> DispatchAsync(this IBatchDispatcher dispatcher, EncodeBatch batch, CancellationToken cancellationToken) =>
        await await dispatcher.SendAsync(batch, cancellationToken);
}
