using System.Runtime.Intrinsics;

namespace LstmWorkers.Core.Lstm.Cpu;

/// <summary>Picks the micro-kernels of a vector width: 8 lanes (<see cref="Simd256"/>, <see cref="Cells256"/>) or 16 (<see cref="Simd512"/>, <see cref="Cells512"/>).</summary>
internal static unsafe class Kernels
{
    /// <inheritdoc cref="GemmKernels{TVector, TSimd}.GemmBias"/>
    public static void Gemm(int lanes, int rows, int panels, int k, float* a, int lda, float* packed, float* bias, float* c, int ldc)
    {
        if (lanes == Simd512.Lanes)
        {
            GemmKernels<Vector512<float>, Simd512>.GemmBias(rows, panels, k, a, lda, packed, bias, c, ldc);
        }
        else
        {
            GemmKernels<Vector256<float>, Simd256>.GemmBias(rows, panels, k, a, lda, packed, bias, c, ldc);
        }
    }

    /// <inheritdoc cref="GemmKernels{TVector, TSimd}.GemmRows"/>
    public static void GemmRows(int lanes, int rows, int panels, int k, float* a, int lda, float* packed, float** init, float* c, int ldc)
    {
        if (lanes == Simd512.Lanes)
        {
            GemmKernels<Vector512<float>, Simd512>.GemmRows(rows, panels, k, a, lda, packed, init, c, ldc);
        }
        else
        {
            GemmKernels<Vector256<float>, Simd256>.GemmRows(rows, panels, k, a, lda, packed, init, c, ldc);
        }
    }

    /// <inheritdoc cref="Cells256.Run"/>
    public static void Cells(int lanes, int rows, int groups, float* gates, int ldg, float* c, int ldc, float* hOut, int ldHOut, float* output, int ldOut)
    {
        if (lanes == Simd512.Lanes)
        {
            Cells512.Run(rows, groups, gates, ldg, c, ldc, hOut, ldHOut, output, ldOut);
        }
        else
        {
            Cells256.Run(rows, groups, gates, ldg, c, ldc, hOut, ldHOut, output, ldOut);
        }
    }
}
