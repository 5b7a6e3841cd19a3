using LstmWorkers.Contracts.Batches;
using LstmWorkers.Contracts.Payloads;

namespace LstmWorkers.Coordinator.Jobs;

/// <summary>What a worker sent back for one batch, in the batch's (sorted) order: output [N, D·H_out] packed (when asked
/// for), h_n [L·D, B, H_out], c_n [L·D, B, H], pooled vectors [B, D·H_out] (when asked for).</summary>
public sealed record BatchResults(float[]? Output, float[] HiddenState, float[] CellState)
{
    public float[]? PooledMean { get; init; }

    public float[]? PooledMax { get; init; }

    /// <summary>Reads a reply's payloads.</summary>
    public static async Task<BatchResults> ReadAsync(BatchEncoded encoded, PayloadStore payloads, CancellationToken cancellationToken) =>
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
