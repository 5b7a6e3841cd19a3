using ILGPU;

namespace LstmWorkers.Kernels.Lstm;

/// <summary>
/// One recurrent step of one layer for both directions in one launch, fused with the gates and
/// the cell: for direction d and active sequence b (b &lt; Rows_d), with row = RowBase_d + b,
/// <code>
/// a[r]  = G[row, d·4H + r] + Σ_j W_hh[d, r, j] · hPrev[j]      r ∈ 0..4H, gate rows i, f, g, o
/// c'    = σ(a_f) ⊙ c + σ(a_i) ⊙ tanh(a_g)                      c [D, B, H] updated in place
/// h'    = σ(a_o) ⊙ tanh(c')                                    to Y[row, d·H_out + u], or to
///                                                             hc [D, B, H] when projected
/// </code>
/// hPrev is Y[prevRow, d·H_out …] (the same direction's previous step, already written) or
/// h0 [D, B, H_out] for a sequence's first step. W_hh is [D, 4H, H_out] row-major.
/// Variants:
/// <list type="number">
/// <item><see cref="V1Naive"/>: one thread per (d, b, u), four dot products from global memory.</item>
/// <item><see cref="V2Tiled"/>: a 16×16 group owns 64 sequences × 16 units × 4 gates; hPrev and
/// W_hh go through shared memory in 16-deep tiles, each thread keeps 4 sequences × 4 gates.</item>
/// </list>
/// </summary>
public static class RecurrentKernels
{
    public const int TileThreads = 16;

    /// <summary>Sequences per group in <see cref="V2Tiled"/> (4 per thread).</summary>
    public const int SequenceTile = 64;

    public const int Depth = 16;

    private const int Stride = SequenceTile + 1;

    /// <summary>
    /// The plain function both kernels must equal: one step for both directions, float
    /// accumulation in j order, then the same activation formulas as the kernels.
    /// </summary>
    public static void Reference(float[] gates, float[] hiddenWeights, float[] h0, float[] y, float[] c, float[] hc, StepParams p)
    {
        int hidden = p.Hidden, outputSize = p.OutputSize;
        var updates = new List<(int At, float Value)>();
        for (int d = 0; d < p.Directions; d++)
        {
            for (int b = 0; b < p.Rows(d); b++)
            {
                int row = p.RowBase(d) + b, prev = p.PreviousRow(d, b);
                for (int u = 0; u < hidden; u++)
                {
                    var a = new float[4];
                    for (int gate = 0; gate < 4; gate++)
                    {
                        int r = gate * hidden + u;
                        float sum = 0;
                        for (int j = 0; j < outputSize; j++)
                        {
                            float hj = prev >= 0 ? y[prev * p.OutputWidth + d * outputSize + j] : h0[(d * p.BatchSize + b) * outputSize + j];
                            sum += hiddenWeights[(d * 4 * hidden + r) * outputSize + j] * hj;
                        }

                        a[gate] = gates[row * p.GateWidth + d * 4 * hidden + r] + sum;
                    }

                    int cell = (d * p.BatchSize + b) * hidden + u;
                    float cNew = Activations.Sigmoid(a[1]) * c[cell] + Activations.Sigmoid(a[0]) * Activations.Tanh(a[2]);
                    c[cell] = cNew;
                    float hNew = Activations.Sigmoid(a[3]) * Activations.Tanh(cNew);
                    updates.Add((p.Projected != 0 ? cell : row * p.OutputWidth + d * outputSize + u, hNew));
                }
            }
        }

        foreach (var (at, value) in updates)
        {
            (p.Projected != 0 ? hc : y)[at] = value;
        }
    }

    /// <summary>V1: thread i ↦ (d, b, u) over D·MaxRows·H threads.</summary>
    public static void V1Naive(Index1D index, ArrayView<float> gates, ArrayView<float> hiddenWeights, ArrayView<float> h0,
        ArrayView<float> y, ArrayView<float> c, ArrayView<float> hc, StepParams p)
    {
        int hidden = p.Hidden, outputSize = p.OutputSize;
        int perDirection = p.MaxRows * hidden;
        int d = index.X / perDirection, b = index.X % perDirection / hidden, u = index.X % hidden;
        if (b >= p.Rows(d))
        {
            return;
        }

        int prev = p.PreviousRow(d, b);
        long hAt = prev >= 0 ? (long)prev * p.OutputWidth + d * outputSize : (long)(d * p.BatchSize + b) * outputSize;
        var hPrev = prev >= 0 ? y : h0;
        long w = (long)d * 4 * hidden * outputSize;
        float ai = 0, af = 0, ag = 0, ao = 0;
        for (int j = 0; j < outputSize; j++)
        {
            float hj = hPrev[hAt + j];
            ai += hiddenWeights[w + (long)u * outputSize + j] * hj;
            af += hiddenWeights[w + (long)(hidden + u) * outputSize + j] * hj;
            ag += hiddenWeights[w + (long)(2 * hidden + u) * outputSize + j] * hj;
            ao += hiddenWeights[w + (long)(3 * hidden + u) * outputSize + j] * hj;
        }

        Finish(gates, y, c, hc, p, d, b, u, ai, af, ag, ao);
    }

    /// <summary>
    /// V2: explicitly grouped; group (16, 16), grid (⌈H/16⌉, ⌈MaxRows/64⌉, D). Thread (tx, ty)
    /// owns unit u = 16·gridX + tx and sequences b = 64·gridY + ty + 16i, i ∈ 0..3.
    /// </summary>
    public static void V2Tiled(ArrayView<float> gates, ArrayView<float> hiddenWeights, ArrayView<float> h0,
        ArrayView<float> y, ArrayView<float> c, ArrayView<float> hc, StepParams p)
    {
        var tileH = SharedMemory.Allocate<float>(Depth * Stride);
        var tileW = SharedMemory.Allocate<float>(Depth * Stride);
        int hidden = p.Hidden, outputSize = p.OutputSize;
        int tx = Group.IdxX, ty = Group.IdxY, thread = ty * TileThreads + tx;
        int u0 = Grid.IdxX * TileThreads, b0 = Grid.IdxY * SequenceTile, d = Grid.IdxZ;
        int rows = p.Rows(d);
        long w = (long)d * 4 * hidden * outputSize;
        float i0 = 0, f0 = 0, g0 = 0, o0 = 0, i1 = 0, f1 = 0, g1 = 0, o1 = 0;
        float i2 = 0, f2 = 0, g2 = 0, o2 = 0, i3 = 0, f3 = 0, g3 = 0, o3 = 0;
        if (b0 < rows)
        {
            for (int j0 = 0; j0 < outputSize; j0 += Depth)
            {
                for (int e = thread; e < SequenceTile * Depth; e += TileThreads * TileThreads)
                {
                    int r = e / Depth, kk = e % Depth, j = j0 + kk;
                    int b = b0 + r;
                    float hv = 0, wv = 0;
                    if (b < rows && j < outputSize)
                    {
                        int prev = p.PreviousRow(d, b);
                        hv = prev >= 0 ? y[(long)prev * p.OutputWidth + d * outputSize + j] : h0[(long)(d * p.BatchSize + b) * outputSize + j];
                    }

                    int gate = r / TileThreads, u = u0 + r % TileThreads;
                    if (u < hidden && j < outputSize)
                    {
                        wv = hiddenWeights[w + (long)(gate * hidden + u) * outputSize + j];
                    }

                    tileH[kk * Stride + r] = hv;
                    tileW[kk * Stride + r] = wv;
                }

                Group.Barrier();
                for (int kk = 0; kk < Depth; kk++)
                {
                    int at = kk * Stride;
                    float h0v = tileH[at + ty], h1v = tileH[at + ty + 16], h2v = tileH[at + ty + 32], h3v = tileH[at + ty + 48];
                    float wi = tileW[at + tx], wf = tileW[at + tx + 16], wg = tileW[at + tx + 32], wo = tileW[at + tx + 48];
                    i0 += wi * h0v; f0 += wf * h0v; g0 += wg * h0v; o0 += wo * h0v;
                    i1 += wi * h1v; f1 += wf * h1v; g1 += wg * h1v; o1 += wo * h1v;
                    i2 += wi * h2v; f2 += wf * h2v; g2 += wg * h2v; o2 += wo * h2v;
                    i3 += wi * h3v; f3 += wf * h3v; g3 += wg * h3v; o3 += wo * h3v;
                }

                Group.Barrier();
            }
        }

        int unit = u0 + tx;
        if (unit >= hidden)
        {
            return;
        }

        Finish(gates, y, c, hc, p, d, b0 + ty, unit, i0, f0, g0, o0);
        Finish(gates, y, c, hc, p, d, b0 + ty + 16, unit, i1, f1, g1, o1);
        Finish(gates, y, c, hc, p, d, b0 + ty + 32, unit, i2, f2, g2, o2);
        Finish(gates, y, c, hc, p, d, b0 + ty + 48, unit, i3, f3, g3, o3);
    }

    /// <summary>Adds the input projection, applies the gates and the cell for (d, b, u), writes c and h.</summary>
    private static void Finish(ArrayView<float> gates, ArrayView<float> y, ArrayView<float> c, ArrayView<float> hc,
        StepParams p, int d, int b, int u, float ai, float af, float ag, float ao)
    {
        if (b >= p.Rows(d))
        {
            return;
        }

        int hidden = p.Hidden;
        long row = p.RowBase(d) + b;
        long g = row * p.GateWidth + d * 4 * hidden + u;
        ai += gates[g];
        af += gates[g + hidden];
        ag += gates[g + 2 * hidden];
        ao += gates[g + 3 * hidden];
        long cell = (long)(d * p.BatchSize + b) * hidden + u;
        float cNew = Activations.Sigmoid(af) * c[cell] + Activations.Sigmoid(ai) * Activations.Tanh(ag);
        c[cell] = cNew;
        float hNew = Activations.Sigmoid(ao) * Activations.Tanh(cNew);
        if (p.Projected != 0)
        {
            hc[cell] = hNew;
        }
        else
        {
            y[row * p.OutputWidth + d * p.OutputSize + u] = hNew;
        }
    }
}
