using LstmWorkers.Core.Tensors;

namespace LstmWorkers.Core.Packing;

/// <summary>
/// PyTorch's <c>PackedSequence</c>: the time steps of a batch of sequences sorted by decreasing
/// length, stored time-major with only the sequences still running at each step.
/// </summary>
/// <remarks>
/// <see cref="Data"/> is [N, *] with N = Σ lengths; step t occupies rows
/// [Σ_{s&lt;t} BatchSizes[s], Σ_{s≤t} BatchSizes[s]) and holds sorted sequences 0 … BatchSizes[t]−1.
/// <see cref="SortedIndices"/>[j] is the caller's index of the j-th sorted sequence and
/// <see cref="UnsortedIndices"/> its inverse; both are null when the caller's order was already
/// sorted. Unlike PyTorch, sequences of length 0 are allowed: they sort last and appear in no
/// step, so <see cref="BatchSize"/> may exceed BatchSizes[0].
/// </remarks>
public sealed class PackedSequence<T> where T : unmanaged
{
    public PackedSequence(Tensor<T> data, int[] batchSizes, int[]? sortedIndices, int[]? unsortedIndices, int batchSize)
    {
        if ((sortedIndices is null) != (unsortedIndices is null))
        {
            throw new ArgumentException("sorted and unsorted indices must both be given or both be null");
        }

        long steps = batchSizes.Sum(b => (long)b);
        if (data.Shape.Length == 0 || data.Shape[0] != steps)
        {
            throw new ArgumentException($"data has {(data.Shape.Length == 0 ? 0 : data.Shape[0])} rows but batch sizes sum to {steps}");
        }

        Data = data;
        BatchSizes = batchSizes;
        SortedIndices = sortedIndices;
        UnsortedIndices = unsortedIndices;
        BatchSize = batchSize;
    }

    /// <summary>[N, *]: every sequence's steps, time-major, sorted sequences within a step.</summary>
    public Tensor<T> Data { get; }

    /// <summary>[T_max]: sequences still running at each step (non-increasing).</summary>
    public int[] BatchSizes { get; }

    public int[]? SortedIndices { get; }

    public int[]? UnsortedIndices { get; }

    /// <summary>Number of sequences, including those of length 0.</summary>
    public int BatchSize { get; }

    public int MaxLength => BatchSizes.Length;

    /// <summary>The caller's index of sorted sequence <paramref name="sorted"/>.</summary>
    public int OriginalIndex(int sorted) => SortedIndices?[sorted] ?? sorted;

    /// <summary>Row offset in <see cref="Data"/> where each step begins ([T_max + 1]).</summary>
    public int[] StepOffsets()
    {
        var offsets = new int[BatchSizes.Length + 1];
        for (int t = 0; t < BatchSizes.Length; t++)
        {
            offsets[t + 1] = offsets[t] + BatchSizes[t];
        }

        return offsets;
    }

    /// <summary>Each sequence's length, in the caller's order.</summary>
    public int[] Lengths()
    {
        var lengths = new int[BatchSize];
        for (int t = 0; t < BatchSizes.Length; t++)
        {
            for (int j = 0; j < BatchSizes[t]; j++)
            {
                lengths[OriginalIndex(j)]++;
            }
        }

        return lengths;
    }

    /// <summary>The same structure around other data of N rows (e.g. an LSTM's output for these inputs).</summary>
    public PackedSequence<TOther> WithData<TOther>(Tensor<TOther> data) where TOther : unmanaged =>
        new(data, BatchSizes, SortedIndices, UnsortedIndices, BatchSize);
}
