using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LstmWorkers.Core.Lstm.Cpu;

/// <summary>
/// The register-tiled micro-kernels on <see cref="Vector256{T}"/> (AVX2 + FMA: 8 lanes).
/// <para>
/// Every output element is computed as one chain: acc = init; for k = 0 … K−1 in order:
/// acc = fma(a[k], b[k], acc). Tiling over rows and columns changes which elements share
/// registers, never that chain, so a row's result does not depend on which rows are beside it
/// (bitwise batch invariance), and <see cref="Kernels512"/> computes the same bits 16 lanes wide.
/// </para>
/// Packed layouts (see <see cref="PackedLstmLayer"/>): GEMM panels are [panel][K][2·8] floats; the
/// gate pre-activations of 8 hidden units sit side by side as 32 columns (i, f, g, o).
/// </summary>
internal static unsafe class Kernels256
{
    public const int Lanes = 8;

    /// <summary>Rows per GEMM row block: the A rows a block of panels reuses from L2.</summary>
    private const int RowBlock = 48;

    /// <summary>Depth per GEMM K block: a panel's block (16 KB) stays in L1.</summary>
    private const int KBlock = 256;

    /// <summary>
    /// C[r, p·16 + j] = bias[p·16 + j] + Σ_k A[r, k] · B_p[k, j] for r &lt; rows, p &lt; panels, j &lt; 16.
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
                    float* b = packed + ((nint)p * k + k0) * 16;
                    int column = p * 16, r = first;
                    for (; r + 6 <= last; r += 6)
                    {
                        float* cr = c + (nint)r * ldc + column;
                        if (k0 == 0)
                        {
                            Tile6x16(kc, a + (nint)r * lda, lda, b, bias + column, bias + column, bias + column, bias + column, bias + column,
                                bias + column, cr, ldc);
                        }
                        else
                        {
                            Tile6x16(kc, a + (nint)r * lda + k0, lda, b, cr, cr + ldc, cr + 2 * ldc, cr + 3 * ldc, cr + 4 * ldc, cr + 5 * ldc, cr, ldc);
                        }
                    }

                    if (r + 4 <= last)
                    {
                        float* cr = c + (nint)r * ldc + column;
                        if (k0 == 0)
                        {
                            Tile4x16(kc, a + (nint)r * lda, lda, b, bias + column, bias + column, bias + column, bias + column, cr, ldc);
                        }
                        else
                        {
                            Tile4x16(kc, a + (nint)r * lda + k0, lda, b, cr, cr + ldc, cr + 2 * ldc, cr + 3 * ldc, cr, ldc);
                        }

                        r += 4;
                    }

                    if (r + 2 <= last)
                    {
                        float* cr = c + (nint)r * ldc + column;
                        if (k0 == 0)
                        {
                            Tile2x16(kc, a + (nint)r * lda, lda, b, bias + column, bias + column, cr, ldc);
                        }
                        else
                        {
                            Tile2x16(kc, a + (nint)r * lda + k0, lda, b, cr, cr + ldc, cr, ldc);
                        }

                        r += 2;
                    }

                    for (; r < last; r++)
                    {
                        float* cr = c + (nint)r * ldc + column;
                        Tile1x16(kc, a + (nint)r * lda + k0, b, k0 == 0 ? bias + column : cr, cr);
                    }
                }
            }
        }
    }

    /// <summary>
    /// C[r, p·16 + j] = init[r][p·16 + j] + Σ_k A[r, k] · B_p[k, j]: the recurrent GEMM, each row
    /// starting from its own pre-activations (init[r] may be C's row itself). Panel by panel over
    /// all rows, so a panel stays in L1 while A (h, at most a few hundred KB) stays in L2.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void GemmRows(int rows, int panels, int k, float* a, int lda, float* packed, float** init, float* c, int ldc)
    {
        for (int p = 0; p < panels; p++)
        {
            float* b = packed + (nint)p * k * 16;
            int column = p * 16, r = 0;
            for (; r + 6 <= rows; r += 6)
            {
                Tile6x16(k, a + (nint)r * lda, lda, b, init[r] + column, init[r + 1] + column, init[r + 2] + column,
                    init[r + 3] + column, init[r + 4] + column, init[r + 5] + column, c + (nint)r * ldc + column, ldc);
            }

            if (r + 4 <= rows)
            {
                Tile4x16(k, a + (nint)r * lda, lda, b, init[r] + column, init[r + 1] + column, init[r + 2] + column, init[r + 3] + column,
                    c + (nint)r * ldc + column, ldc);
                r += 4;
            }

            if (r + 2 <= rows)
            {
                Tile2x16(k, a + (nint)r * lda, lda, b, init[r] + column, init[r + 1] + column, c + (nint)r * ldc + column, ldc);
                r += 2;
            }

            for (; r < rows; r++)
            {
                Tile1x16(k, a + (nint)r * lda, b, init[r] + column, c + (nint)r * ldc + column);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile6x16(int k, float* a, int lda, float* b, float* i0, float* i1, float* i2, float* i3, float* i4, float* i5,
        float* c, int ldc)
    {
        Vector256<float> c00 = Vector256.Load(i0), c01 = Vector256.Load(i0 + 8), c10 = Vector256.Load(i1), c11 = Vector256.Load(i1 + 8);
        Vector256<float> c20 = Vector256.Load(i2), c21 = Vector256.Load(i2 + 8), c30 = Vector256.Load(i3), c31 = Vector256.Load(i3 + 8);
        Vector256<float> c40 = Vector256.Load(i4), c41 = Vector256.Load(i4 + 8), c50 = Vector256.Load(i5), c51 = Vector256.Load(i5 + 8);
        float* a0 = a, a1 = a + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda;
        for (int kk = 0; kk < k; kk++, b += 16)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var x = Vector256.Create(a0[kk]);
            c00 = Vector256.FusedMultiplyAdd(x, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            x = Vector256.Create(a1[kk]);
            c10 = Vector256.FusedMultiplyAdd(x, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
            x = Vector256.Create(a2[kk]);
            c20 = Vector256.FusedMultiplyAdd(x, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
            x = Vector256.Create(a3[kk]);
            c30 = Vector256.FusedMultiplyAdd(x, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
            x = Vector256.Create(a4[kk]);
            c40 = Vector256.FusedMultiplyAdd(x, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(x, b1, c41);
            x = Vector256.Create(a5[kk]);
            c50 = Vector256.FusedMultiplyAdd(x, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(x, b1, c51);
        }

        c00.Store(c);
        c01.Store(c + 8);
        c += ldc;
        c10.Store(c);
        c11.Store(c + 8);
        c += ldc;
        c20.Store(c);
        c21.Store(c + 8);
        c += ldc;
        c30.Store(c);
        c31.Store(c + 8);
        c += ldc;
        c40.Store(c);
        c41.Store(c + 8);
        c += ldc;
        c50.Store(c);
        c51.Store(c + 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x16(int k, float* a, int lda, float* b, float* i0, float* i1, float* i2, float* i3, float* c, int ldc)
    {
        var c00 = Vector256.Load(i0);
        var c01 = Vector256.Load(i0 + 8);
        var c10 = Vector256.Load(i1);
        var c11 = Vector256.Load(i1 + 8);
        var c20 = Vector256.Load(i2);
        var c21 = Vector256.Load(i2 + 8);
        var c30 = Vector256.Load(i3);
        var c31 = Vector256.Load(i3 + 8);
        float* a0 = a, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
        for (int kk = 0; kk < k; kk++, b += 16)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var x = Vector256.Create(a0[kk]);
            c00 = Vector256.FusedMultiplyAdd(x, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            x = Vector256.Create(a1[kk]);
            c10 = Vector256.FusedMultiplyAdd(x, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
            x = Vector256.Create(a2[kk]);
            c20 = Vector256.FusedMultiplyAdd(x, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
            x = Vector256.Create(a3[kk]);
            c30 = Vector256.FusedMultiplyAdd(x, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
        }

        c00.Store(c);
        c01.Store(c + 8);
        c += ldc;
        c10.Store(c);
        c11.Store(c + 8);
        c += ldc;
        c20.Store(c);
        c21.Store(c + 8);
        c += ldc;
        c30.Store(c);
        c31.Store(c + 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile2x16(int k, float* a, int lda, float* b, float* i0, float* i1, float* c, int ldc)
    {
        var c00 = Vector256.Load(i0);
        var c01 = Vector256.Load(i0 + 8);
        var c10 = Vector256.Load(i1);
        var c11 = Vector256.Load(i1 + 8);
        float* a0 = a, a1 = a0 + lda;
        for (int kk = 0; kk < k; kk++, b += 16)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var x = Vector256.Create(a0[kk]);
            c00 = Vector256.FusedMultiplyAdd(x, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            x = Vector256.Create(a1[kk]);
            c10 = Vector256.FusedMultiplyAdd(x, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
        }

        c00.Store(c);
        c01.Store(c + 8);
        c += ldc;
        c10.Store(c);
        c11.Store(c + 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile1x16(int k, float* a, float* b, float* init, float* c)
    {
        var c0 = Vector256.Load(init);
        var c1 = Vector256.Load(init + 8);
        for (int kk = 0; kk < k; kk++, b += 16)
        {
            var x = Vector256.Create(a[kk]);
            c0 = Vector256.FusedMultiplyAdd(x, Vector256.Load(b), c0);
            c1 = Vector256.FusedMultiplyAdd(x, Vector256.Load(b + 8), c1);
        }

        c0.Store(c);
        c1.Store(c + 8);
    }

    /// <summary>
    /// The LSTM cell on pre-activations laid out by unit group (<paramref name="gates"/> [rows, 4Hp],
    /// row stride ldg): i, f, o = σ, g = tanh, c = f⊙c + i⊙g (in place, [rows, Hp]),
    /// h = o⊙tanh(c) stored to <paramref name="hOut"/> and, when not null, <paramref name="output"/>.
    /// Two short passes per row rather than one long one: σ and tanh are long dependency chains,
    /// and only loop bodies much shorter than the processor's reorder window let it overlap the
    /// chains of successive iterations (one fused body of ~290 instructions ran 2× slower).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Cells(int rows, int groups, float* gates, int ldg, float* c, int ldc, float* hOut, int ldHOut, float* output, int ldOut)
    {
        for (int r = 0; r < rows; r++)
        {
            float* g = gates + (nint)r * ldg;
            for (int u = 0; u < groups; u++)
            {
                Activate(g + u * 32);
            }

            float* cr = c + (nint)r * ldc, hr = hOut + (nint)r * ldHOut;
            float* or = output == null ? null : output + (nint)r * ldOut;
            for (int u = 0; u < groups; u++)
            {
                Cell(g + u * 32, cr + u * 8, hr + u * 8, or == null ? null : or + u * 8);
            }
        }
    }

    /// <summary>i, f, g, o = σ(i), σ(f), tanh(g), σ(o) in place, on one group of 8 units.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Activate(float* gates)
    {
        VectorMath.Sigmoid(Vector256.Load(gates)).Store(gates);
        VectorMath.Sigmoid(Vector256.Load(gates + 8)).Store(gates + 8);
        VectorMath.Tanh(Vector256.Load(gates + 16)).Store(gates + 16);
        VectorMath.Sigmoid(Vector256.Load(gates + 24)).Store(gates + 24);
    }

    /// <summary>c = f⊙c + i⊙g; h = o⊙tanh(c), on 8 units whose activated gates are gates[0 … 32) (i, f, g, o).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Cell(float* gates, float* c, float* hOut, float* output)
    {
        var cell = Vector256.FusedMultiplyAdd(Vector256.Load(gates + 8), Vector256.Load(c), Vector256.Load(gates) * Vector256.Load(gates + 16));
        cell.Store(c);
        var hidden = Vector256.Load(gates + 24) * VectorMath.Tanh(cell);
        hidden.Store(hOut);
        if (output != null)
        {
            hidden.Store(output);
        }
    }
}
