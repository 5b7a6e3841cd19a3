using LstmWorkers.Contracts.Batches;
using LstmWorkers.Contracts.Payloads;
using LstmWorkers.Core.Lstm;

namespace LstmWorkers.Coordinator.Jobs;

/// <summary>What a worker sent back for one batch, read from its payloads as the runner's result it is.</summary>
public static class BatchResults
{
    /// <summary>Reads a reply's payloads: output [N, D·H_out] packed (when asked for), h_n, c_n and the pooled vectors (when
    /// asked for), in the batch's (sorted) order.</summary>
    public static async Task<LstmBatchResult> ReadAsync(BatchEncoded encoded, PayloadStore payloads, CancellationToken cancellationToken) =>
        new(await ReadAsync(encoded.Output, payloads, cancellationToken),
            await payloads.GetAsync<float>(encoded.HiddenState, cancellationToken),
            await payloads.GetAsync<float>(encoded.CellState, cancellationToken))
        {
            PooledMean = await ReadAsync(encoded.PooledMean, payloads, cancellationToken),
            PooledMax = await ReadAsync(encoded.PooledMax, payloads, cancellationToken),
        };

    private static async Task<float[]?> ReadAsync(Payload? payload, PayloadStore payloads, CancellationToken cancellationToken) =>
        payload is null ? null : await payloads.GetAsync<float>(payload, cancellationToken);
}
