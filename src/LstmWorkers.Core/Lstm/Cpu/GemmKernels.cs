using System.Runtime.CompilerServices;

namespace LstmWorkers.Core.Lstm.Cpu;

/// <summary>
/// The register-tiled GEMM micro-kernels, written once for any vector width (<see cref="ISimd{TVector}"/>: 8 lanes on
/// AVX2, 16 on AVX-512); <see cref="Kernels"/> picks the width. L below is the lanes per vector.
/// <para>
/// Every output element is computed as one chain: acc = init; for k = 0 … K−1 in order:
/// acc = fma(a[k], b[k], acc). Tiling over rows and columns changes which elements share
/// registers, never that chain, so a row's result does not depend on which rows are beside it
/// (bitwise batch invariance), nor on the vector width.
/// </para>
/// Packed layouts (see <see cref="PackedLstmLayer"/>): GEMM panels are [panel][K][2·L] floats; the
/// gate pre-activations of L hidden units sit side by side as 4·L columns (i, f, g, o).
/// </summary>
internal static unsafe class GemmKernels<TVector, TSimd>
    where TVector : unmanaged
    where TSimd : ISimd<TVector>
{
    /// <summary>Floats per vector.</summary>
    private static int L => TSimd.Lanes;

    /// <summary>Columns per GEMM panel: two vectors.</summary>
    private static int W => 2 * TSimd.Lanes;

    /// <summary>Rows per GEMM row block: the A rows a block of panels reuses from L2.</summary>
    private const int RowBlock = 48;

    /// <summary>Depth per GEMM K block: a panel's block (16 KB at 8 lanes, 32 KB at 16) stays in L1.</summary>
    private const int KBlock = 256;

    /// <summary>
    /// C[r, p·2L + j] = bias[p·2L + j] + Σ_k A[r, k] · B_p[k, j] for r &lt; rows, p &lt; panels, j &lt; 2L.
    /// A is [rows, K] with row stride lda; C has row stride ldc. Blocked for the caches: 48 rows of
    /// A at a time (L2), and K in blocks of 256 so that a panel's block stays in L1 (a block after
    /// the first continues from C, which holds the exact partial sums, so every element's chain of
    /// fused multiply-adds is the unblocked one).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void GemmBias(int rows, int panels, int k, float* a, int lda, float* packed, float* bias, float* c, int ldc)
    {
        for (int first = 0; first < rows; first += RowBlock)
        {
            int last = Math.Min(rows, first + RowBlock);
            for (int k0 = 0; k0 == 0 || k0 < k; k0 += KBlock)
            {
                int kc = Math.Min(KBlock, k - k0);
                for (int p = 0; p < panels; p++)
                {
                    float* b = packed + ((nint)p * k + k0) * W;
                    int column = p * W, r = first;
                    for (; r + 6 <= last; r += 6)
                    {
                        float* cr = c + (nint)r * ldc + column;
                        if (k0 == 0)
                        {
                            Tile6(kc, a + (nint)r * lda, lda, b, bias + column, bias + column, bias + column, bias + column, bias + column,
                                bias + column, cr, ldc);
                        }
                        else
                        {
                            Tile6(kc, a + (nint)r * lda + k0, lda, b, cr, cr + ldc, cr + 2 * ldc, cr + 3 * ldc, cr + 4 * ldc, cr + 5 * ldc, cr, ldc);
                        }
                    }

                    if (r + 4 <= last)
                    {
                        float* cr = c + (nint)r * ldc + column;
                        if (k0 == 0)
                        {
                            Tile4(kc, a + (nint)r * lda, lda, b, bias + column, bias + column, bias + column, bias + column, cr, ldc);
                        }
                        else
                        {
                            Tile4(kc, a + (nint)r * lda + k0, lda, b, cr, cr + ldc, cr + 2 * ldc, cr + 3 * ldc, cr, ldc);
                        }

                        r += 4;
                    }

                    if (r + 2 <= last)
                    {
                        float* cr = c + (nint)r * ldc + column;
                        if (k0 == 0)
                        {
                            Tile2(kc, a + (nint)r * lda, lda, b, bias + column, bias + column, cr, ldc);
                        }
                        else
                        {
                            Tile2(kc, a + (nint)r * lda + k0, lda, b, cr, cr + ldc, cr, ldc);
                        }

                        r += 2;
                    }

                    for (; r < last; r++)
                    {
                        float* cr = c + (nint)r * ldc + column;
                        Tile1(kc, a + (nint)r * lda + k0, b, k0 == 0 ? bias + column : cr, cr);
                    }
                }
            }
        }
    }

    /// <summary>
    /// C[r, p·2L + j] = init[r][p·2L + j] + Σ_k A[r, k] · B_p[k, j]: the recurrent GEMM, each row
    /// starting from its own pre-activations (init[r] may be C's row itself). Panel by panel over
    /// all rows, so a panel stays in L1 while A (h, at most a few hundred KB) stays in L2.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void GemmRows(int rows, int panels, int k, float* a, int lda, float* packed, float** init, float* c, int ldc)
    {
        for (int p = 0; p < panels; p++)
        {
            float* b = packed + (nint)p * k * W;
            int column = p * W, r = 0;
            for (; r + 6 <= rows; r += 6)
            {
                Tile6(k, a + (nint)r * lda, lda, b, init[r] + column, init[r + 1] + column, init[r + 2] + column,
                    init[r + 3] + column, init[r + 4] + column, init[r + 5] + column, c + (nint)r * ldc + column, ldc);
            }

            if (r + 4 <= rows)
            {
                Tile4(k, a + (nint)r * lda, lda, b, init[r] + column, init[r + 1] + column, init[r + 2] + column, init[r + 3] + column,
                    c + (nint)r * ldc + column, ldc);
                r += 4;
            }

            if (r + 2 <= rows)
            {
                Tile2(k, a + (nint)r * lda, lda, b, init[r] + column, init[r + 1] + column, c + (nint)r * ldc + column, ldc);
                r += 2;
            }

            for (; r < rows; r++)
            {
                Tile1(k, a + (nint)r * lda, b, init[r] + column, c + (nint)r * ldc + column);
            }
        }
    }

    /// <summary>6 rows × one panel (2L columns): 12 accumulators, two loads of B and six broadcasts of A per k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile6(int k, float* a, int lda, float* b, float* i0, float* i1, float* i2, float* i3, float* i4, float* i5,
        float* c, int ldc)
    {
        TVector c00 = TSimd.Load(i0), c01 = TSimd.Load(i0 + L), c10 = TSimd.Load(i1), c11 = TSimd.Load(i1 + L);
        TVector c20 = TSimd.Load(i2), c21 = TSimd.Load(i2 + L), c30 = TSimd.Load(i3), c31 = TSimd.Load(i3 + L);
        TVector c40 = TSimd.Load(i4), c41 = TSimd.Load(i4 + L), c50 = TSimd.Load(i5), c51 = TSimd.Load(i5 + L);
        float* a0 = a, a1 = a + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda;
        for (int kk = 0; kk < k; kk++, b += W)
        {
            var b0 = TSimd.Load(b);
            var b1 = TSimd.Load(b + L);
            var x = TSimd.Create(a0[kk]);
            c00 = TSimd.FusedMultiplyAdd(x, b0, c00);
            c01 = TSimd.FusedMultiplyAdd(x, b1, c01);
            x = TSimd.Create(a1[kk]);
            c10 = TSimd.FusedMultiplyAdd(x, b0, c10);
            c11 = TSimd.FusedMultiplyAdd(x, b1, c11);
            x = TSimd.Create(a2[kk]);
            c20 = TSimd.FusedMultiplyAdd(x, b0, c20);
            c21 = TSimd.FusedMultiplyAdd(x, b1, c21);
            x = TSimd.Create(a3[kk]);
            c30 = TSimd.FusedMultiplyAdd(x, b0, c30);
            c31 = TSimd.FusedMultiplyAdd(x, b1, c31);
            x = TSimd.Create(a4[kk]);
            c40 = TSimd.FusedMultiplyAdd(x, b0, c40);
            c41 = TSimd.FusedMultiplyAdd(x, b1, c41);
            x = TSimd.Create(a5[kk]);
            c50 = TSimd.FusedMultiplyAdd(x, b0, c50);
            c51 = TSimd.FusedMultiplyAdd(x, b1, c51);
        }

        TSimd.Store(c00, c);
        TSimd.Store(c01, c + L);
        c += ldc;
        TSimd.Store(c10, c);
        TSimd.Store(c11, c + L);
        c += ldc;
        TSimd.Store(c20, c);
        TSimd.Store(c21, c + L);
        c += ldc;
        TSimd.Store(c30, c);
        TSimd.Store(c31, c + L);
        c += ldc;
        TSimd.Store(c40, c);
        TSimd.Store(c41, c + L);
        c += ldc;
        TSimd.Store(c50, c);
        TSimd.Store(c51, c + L);
    }

    /// <summary>4 rows × one panel (2L columns): 8 accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4(int k, float* a, int lda, float* b, float* i0, float* i1, float* i2, float* i3, float* c, int ldc)
    {
        var c00 = TSimd.Load(i0);
        var c01 = TSimd.Load(i0 + L);
        var c10 = TSimd.Load(i1);
        var c11 = TSimd.Load(i1 + L);
        var c20 = TSimd.Load(i2);
        var c21 = TSimd.Load(i2 + L);
        var c30 = TSimd.Load(i3);
        var c31 = TSimd.Load(i3 + L);
        float* a0 = a, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
        for (int kk = 0; kk < k; kk++, b += W)
        {
            var b0 = TSimd.Load(b);
            var b1 = TSimd.Load(b + L);
            var x = TSimd.Create(a0[kk]);
            c00 = TSimd.FusedMultiplyAdd(x, b0, c00);
            c01 = TSimd.FusedMultiplyAdd(x, b1, c01);
            x = TSimd.Create(a1[kk]);
            c10 = TSimd.FusedMultiplyAdd(x, b0, c10);
            c11 = TSimd.FusedMultiplyAdd(x, b1, c11);
            x = TSimd.Create(a2[kk]);
            c20 = TSimd.FusedMultiplyAdd(x, b0, c20);
            c21 = TSimd.FusedMultiplyAdd(x, b1, c21);
            x = TSimd.Create(a3[kk]);
            c30 = TSimd.FusedMultiplyAdd(x, b0, c30);
            c31 = TSimd.FusedMultiplyAdd(x, b1, c31);
        }

        TSimd.Store(c00, c);
        TSimd.Store(c01, c + L);
        c += ldc;
        TSimd.Store(c10, c);
        TSimd.Store(c11, c + L);
        c += ldc;
        TSimd.Store(c20, c);
        TSimd.Store(c21, c + L);
        c += ldc;
        TSimd.Store(c30, c);
        TSimd.Store(c31, c + L);
    }

    /// <summary>2 rows × one panel (2L columns): 4 accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile2(int k, float* a, int lda, float* b, float* i0, float* i1, float* c, int ldc)
    {
        var c00 = TSimd.Load(i0);
        var c01 = TSimd.Load(i0 + L);
        var c10 = TSimd.Load(i1);
        var c11 = TSimd.Load(i1 + L);
        float* a0 = a, a1 = a0 + lda;
        for (int kk = 0; kk < k; kk++, b += W)
        {
            var b0 = TSimd.Load(b);
            var b1 = TSimd.Load(b + L);
            var x = TSimd.Create(a0[kk]);
            c00 = TSimd.FusedMultiplyAdd(x, b0, c00);
            c01 = TSimd.FusedMultiplyAdd(x, b1, c01);
            x = TSimd.Create(a1[kk]);
            c10 = TSimd.FusedMultiplyAdd(x, b0, c10);
            c11 = TSimd.FusedMultiplyAdd(x, b1, c11);
        }

        TSimd.Store(c00, c);
        TSimd.Store(c01, c + L);
        c += ldc;
        TSimd.Store(c10, c);
        TSimd.Store(c11, c + L);
    }

    /// <summary>One row × one panel (2L columns): 2 accumulators, latency-bound: only for the rows the larger tiles leave.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile1(int k, float* a, float* b, float* init, float* c)
    {
        var c0 = TSimd.Load(init);
        var c1 = TSimd.Load(init + L);
        for (int kk = 0; kk < k; kk++, b += W)
        {
            var x = TSimd.Create(a[kk]);
            c0 = TSimd.FusedMultiplyAdd(x, TSimd.Load(b), c0);
            c1 = TSimd.FusedMultiplyAdd(x, TSimd.Load(b + L), c1);
        }

        TSimd.Store(c0, c);
        TSimd.Store(c1, c + L);
    }
}
