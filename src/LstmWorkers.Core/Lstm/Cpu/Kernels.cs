namespace LstmWorkers.Core.Lstm.Cpu;

/// <summary>Picks the micro-kernels of a vector width: <see cref="Kernels256"/> (8 lanes) or <see cref="Kernels512"/> (16).</summary>
internal static unsafe class Kernels
{
    /// <inheritdoc cref="Kernels256.GemmBias"/>
    public static void Gemm(int lanes, int rows, int panels, int k, float* a, int lda, float* packed, float* bias, float* c, int ldc)
    {
        if (lanes == Kernels512.Lanes)
        {
            Kernels512.GemmBias(rows, panels, k, a, lda, packed, bias, c, ldc);
        }
        else
        {
            Kernels256.GemmBias(rows, panels, k, a, lda, packed, bias, c, ldc);
        }
    }

    /// <inheritdoc cref="Kernels256.GemmRows"/>
    public static void GemmRows(int lanes, int rows, int panels, int k, float* a, int lda, float* packed, float** init, float* c, int ldc)
    {
        if (lanes == Kernels512.Lanes)
        {
            Kernels512.GemmRows(rows, panels, k, a, lda, packed, init, c, ldc);
        }
        else
        {
            Kernels256.GemmRows(rows, panels, k, a, lda, packed, init, c, ldc);
        }
    }

    /// <inheritdoc cref="Kernels256.Cells"/>
    public static void Cells(int lanes, int rows, int groups, float* gates, int ldg, float* c, int ldc, float* hOut, int ldHOut, float* output, int ldOut)
    {
        if (lanes == Kernels512.Lanes)
        {
            Kernels512.Cells(rows, groups, gates, ldg, c, ldc, hOut, ldHOut, output, ldOut);
        }
        else
        {
            Kernels256.Cells(rows, groups, gates, ldg, c, ldc, hOut, ldHOut, output, ldOut);
        }
    }
}
