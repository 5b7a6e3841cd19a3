using ILGPU;

namespace LstmWorkers.Kernels.Lstm;

/// <summary>
/// h_n of one layer: a sequence's last h is in the layer output Y at its last step — packed row
/// stepOffsets[len − 1] + b forward, row b (step 0) reverse. Sequences of length 0 keep h0, which
/// is what the state buffer already holds, so they are skipped. hn is [D, B, H_out] (h0 on entry).
/// </summary>
public static class StateKernels
{
    /// <summary>The plain function the kernel must equal.</summary>
    public static void FinalHiddenReference(float[] y, int[] lengths, int[] stepOffsets, float[] hn, int directions, int outputSize)
    {
        int batchSize = lengths.Length;
        for (int d = 0; d < directions; d++)
        {
            for (int b = 0; b < batchSize; b++)
            {
                if (lengths[b] == 0)
                {
                    continue;
                }

                int row = d == 0 ? stepOffsets[lengths[b] - 1] + b : b;
                for (int q = 0; q < outputSize; q++)
                {
                    hn[(d * batchSize + b) * outputSize + q] = y[row * directions * outputSize + d * outputSize + q];
                }
            }
        }
    }

    /// <summary>Thread i ↦ (d, b, q) over D·B·H_out threads.</summary>
    public static void FinalHidden(Index1D index, ArrayView<float> y, ArrayView<int> lengths, ArrayView<int> stepOffsets,
        ArrayView<float> hn, int batchSize, int directions, int outputSize)
    {
        int perDirection = batchSize * outputSize;
        int d = index.X / perDirection, b = index.X % perDirection / outputSize, q = index.X % outputSize;
        int length = lengths[b];
        if (length == 0)
        {
            return;
        }

        long row = d == 0 ? stepOffsets[length - 1] + b : b;
        hn[index.X] = y[row * directions * outputSize + d * outputSize + q];
    }
}
