namespace LstmWorkers.Core.Lstm;

/// <summary>
/// A runner's result for an <see cref="LstmBatch"/>, in the batch's (sorted) order.
/// </summary>
/// <param name="Output">[N, D·H_out] packed like the input, the last layer's h at every step
/// (forward then reverse halves); null when the batch did not ask for it.</param>
/// <param name="HiddenState">h_n: [L·D, B, H_out].</param>
/// <param name="CellState">c_n: [L·D, B, H].</param>
public sealed record LstmBatchResult(float[]? Output, float[] HiddenState, float[] CellState)
{
    /// <summary>[B, D·H_out]: each sequence's mean of <see cref="Output"/> over its steps (zeros for length 0); null unless asked for.</summary>
    public float[]? PooledMean { get; init; }

    /// <summary>[B, D·H_out]: each sequence's maximum of <see cref="Output"/> over its steps (zeros for length 0); null unless asked for.</summary>
    public float[]? PooledMax { get; init; }
}
