namespace LstmWorkers.Core.Lstm.Cpu;

/// <summary>
/// The vector operations of the GEMM kernels at one width: <see cref="Simd256"/> (AVX2 + FMA, 8 lanes) or
/// <see cref="Simd512"/> (AVX-512F, 16 lanes). <see cref="GemmKernels{TVector, TSimd}"/> is written once over it; each
/// width is a struct, so the JIT compiles the kernels once per width with these calls inlined, the machine code of
/// kernels written for that width (<c>lstmw-bench kernels</c>: the same GFLOP/s). A fused multiply-add rounds once
/// in every lane, so both widths give the same bits per lane.
/// </summary>
internal unsafe interface ISimd<TVector> where TVector : unmanaged
{
    /// <summary>Floats per vector.</summary>
    static abstract int Lanes { get; }

    static abstract TVector Load(float* source);

    static abstract void Store(TVector value, float* destination);

    /// <summary>A vector of <paramref name="value"/> in every lane.</summary>
    static abstract TVector Create(float value);

    /// <summary>a·b + addend, rounded once.</summary>
    static abstract TVector FusedMultiplyAdd(TVector a, TVector b, TVector addend);
}
