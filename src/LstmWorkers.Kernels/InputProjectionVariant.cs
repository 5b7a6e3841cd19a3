namespace LstmWorkers.Kernels;

/// <summary>Variants of the input projection G = X·W_ihᵀ + b (see <see cref="Lstm.InputProjectionKernels"/>).</summary>
public enum InputProjectionVariant
{
    /// <summary>The measured fastest: <see cref="V2Tiled"/> (it beat cuBLAS on an H100 for W1 and W2, docs/KERNELS.md).</summary>
    Auto,

    /// <summary>One thread per output element.</summary>
    V1Naive,

    /// <summary>Shared-memory tiles, 4×4 outputs per thread.</summary>
    V2Tiled,

    /// <summary>cuBLAS SGEMM through ILGPU.Algorithms (CUDA only; fails when libcublas does not load).</summary>
    CuBlas,
}
