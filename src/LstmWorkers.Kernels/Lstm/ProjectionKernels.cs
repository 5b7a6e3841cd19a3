using ILGPU;

namespace LstmWorkers.Kernels.Lstm;

/// <summary>
/// proj_size: after a recurrent step wrote the cell's h into hc [D, B, H], projects it for every
/// active sequence of both directions: Y[RowBase_d + b, d·P + q] = Σ_u W_hr[d, q, u] · hc[d, b, u],
/// with W_hr [D, P, H] row-major. One launch over D·MaxRows·P threads.
/// </summary>
public static class ProjectionKernels
{
    /// <summary>The plain function the kernel must equal (float accumulation in u order).</summary>
    public static void Reference(float[] projectionWeights, float[] hc, float[] y, StepParams p)
    {
        for (int d = 0; d < p.Directions; d++)
        {
            for (int b = 0; b < p.Rows(d); b++)
            {
                for (int q = 0; q < p.OutputSize; q++)
                {
                    float sum = 0;
                    for (int u = 0; u < p.Hidden; u++)
                    {
                        sum += projectionWeights[(d * p.OutputSize + q) * p.Hidden + u] * hc[(d * p.BatchSize + b) * p.Hidden + u];
                    }

                    y[(p.RowBase(d) + b) * p.OutputWidth + d * p.OutputSize + q] = sum;
                }
            }
        }
    }

    /// <summary>V1: thread i ↦ (d, b, q); each reads one row of W_hr and one hc row.</summary>
    public static void V1Naive(Index1D index, ArrayView<float> projectionWeights, ArrayView<float> hc, ArrayView<float> y, StepParams p)
    {
        int perDirection = p.MaxRows * p.OutputSize;
        int d = index.X / perDirection, b = index.X % perDirection / p.OutputSize, q = index.X % p.OutputSize;
        if (b >= p.Rows(d))
        {
            return;
        }

        long w = (long)(d * p.OutputSize + q) * p.Hidden, h = (long)(d * p.BatchSize + b) * p.Hidden;
        float sum = 0;
        for (int u = 0; u < p.Hidden; u++)
        {
            sum += projectionWeights[w + u] * hc[h + u];
        }

        y[(long)(p.RowBase(d) + b) * p.OutputWidth + d * p.OutputSize + q] = sum;
    }
}
