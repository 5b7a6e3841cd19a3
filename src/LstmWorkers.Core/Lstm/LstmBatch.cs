namespace LstmWorkers.Core.Lstm;

/// <summary>
/// One packed batch for an LSTM runner: B sequences sorted by decreasing length (zero-length ones
/// last), their steps packed time-major as in <see cref="Packing.PackedSequence{T}"/>.
/// Exactly one of <see cref="Tokens"/> ([N] token ids, for a model with an embedding) and
/// <see cref="Features"/> ([N, I], row-major) is set.
/// </summary>
public sealed record LstmBatch(int BatchSize, int[] BatchSizes, int[]? Tokens, float[]? Features)
{
    /// <summary>Initial state in the batch's (sorted) order; zeros when null.</summary>
    public LstmState? Initial { get; init; }

    /// <summary>False when only h_n and c_n are wanted; the runner may then skip storing the last layer's output.</summary>
    public bool NeedOutput { get; init; } = true;

    /// <summary>N: the number of packed steps (Σ BatchSizes).</summary>
    public int StepCount => BatchSizes.Sum();

    /// <summary>Row offset where each step begins in the packed data ([T_max + 1]).</summary>
    public int[] StepOffsets()
    {
        var offsets = new int[BatchSizes.Length + 1];
        for (int t = 0; t < BatchSizes.Length; t++)
        {
            offsets[t + 1] = offsets[t] + BatchSizes[t];
        }

        return offsets;
    }
}
