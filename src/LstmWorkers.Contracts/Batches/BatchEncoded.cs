using LstmWorkers.Contracts.Payloads;

namespace LstmWorkers.Contracts.Batches;

/// <summary>
/// Event (the reply to <see cref="EncodeBatch"/>): the batch's results, in the batch's order, as
/// little-endian float32 in <see cref="Payload"/>s: <see cref="Output"/> [N, D·H_out] packed like the input (null when not
/// asked for), <see cref="HiddenState"/> h_n [L·D, B, H_out], <see cref="CellState"/> c_n [L·D, B, H], and, when asked for,
/// <see cref="PooledMean"/> and <see cref="PooledMax"/> [B, D·H_out] (each sequence's mean and maximum of the output over
/// its steps; zeros for length 0).
/// </summary>
public record BatchEncoded
{
    public Guid JobId { get; init; }

    public int ShardIndex { get; init; }

    public int WindowIndex { get; init; }

    public int BatchIndex { get; init; }

    public Payload? Output { get; init; }

    public Payload HiddenState { get; init; } = new();

    public Payload CellState { get; init; } = new();

    public Payload? PooledMean { get; init; }

    public Payload? PooledMax { get; init; }

    /// <summary>The device that ran the batch, e.g. "cpu (2 cores, AVX-512)".</summary>
    public string Device { get; init; } = "";

    public double ElapsedMilliseconds { get; init; }
}
