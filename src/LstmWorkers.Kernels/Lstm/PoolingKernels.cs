using ILGPU;
using ILGPU.Algorithms;

namespace LstmWorkers.Kernels.Lstm;

/// <summary>
/// pooled_mean and pooled_max on the device, from the last layer's output Y [N, W] (W = D·H_out) where it already is:
/// the operations of <see cref="Core.Lstm.OutputPooling.Pool"/>, in its order (t ascending, a compensated float sum, a
/// running maximum that a NaN step makes NaN), one thread per element of the [B, W] results.
/// </summary>
public static class PoolingKernels
{
    /// <summary>Thread i ↦ (b, j) over B·W threads; mean and max are [B, W], zeros for a sequence of length 0.</summary>
    public static void Pool(Index1D index, ArrayView<float> y, ArrayView<int> lengths, ArrayView<int> stepOffsets,
        ArrayView<float> mean, ArrayView<float> max, int width)
    {
        int b = index.X / width, j = index.X % width;
        int length = lengths[b];
        float sum = 0, compensation = 0, top = 0;
        for (int t = 0; t < length; t++)
        {
            float value = y[((long)stepOffsets[t] + b) * width + j];
            float total = sum + value;
            compensation += Magnitude(sum) >= Magnitude(value) ? sum - total + value : value - total + sum;
            sum = total;
            top = t == 0 || value > top || XMath.IsNaN(value) ? value : top;
        }

        if (length == 0)
        {
            mean[index.X] = 0;
            max[index.X] = 0;
            return;
        }

        // An infinite sum has a NaN compensation (∞ − ∞); it is then the answer as it stands (sum − sum is 0 only when finite).
        float pooled = sum - sum == 0 ? sum + compensation : sum;
        mean[index.X] = pooled / length;
        max[index.X] = top;
    }

    private static float Magnitude(float value) => value < 0 ? -value : value;
}
