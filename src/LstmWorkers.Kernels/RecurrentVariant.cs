namespace LstmWorkers.Kernels;

/// <summary>Variants of the fused recurrent step (see <see cref="Lstm.RecurrentKernels"/>).</summary>
public enum RecurrentVariant
{
    /// <summary>One thread per (direction, sequence, unit), weights straight from global memory.</summary>
    V1Naive,

    /// <summary>h and W_hh tiles in shared memory, 4 sequences × 4 gates per thread.</summary>
    V2Tiled,
}
