namespace LstmWorkers.Core.Lstm;

/// <summary>
/// pooled_mean and pooled_max: per sequence, the mean and the maximum of the last layer's output over its own steps
/// t &lt; length, what a masked reduction of <c>pad_packed_sequence</c>'s output gives; zeros for a sequence of length 0.
/// The output is packed [N, W] (W = D·H_out) as a runner returns it: sequence b (batch order) has step t at packed row
/// offsets[t] + b for each t with batch_sizes[t] &gt; b. The results are [B, W] in batch order.
/// <para>
/// <see cref="Pool"/> is what every device computes: per element, t ascending, a compensated (Neumaier) float sum divided by
/// the length, and a running maximum (a NaN step makes it NaN, as <c>torch.max</c> does). It reads only the sequence's own
/// steps, in one fixed order, so its bits depend on nothing but the sequence's output. <see cref="Reference"/> is the
/// definition, in double, that it is checked against.
/// </para>
/// </summary>
public static class OutputPooling
{
    /// <summary>The plain definition: sums in double, t ascending.</summary>
    public static (float[]? Mean, float[]? Max) Reference(ReadOnlySpan<float> output, int[] batchSizes, int batchSize, int width, LstmPooling pooling)
    {
        if (pooling == LstmPooling.None)
        {
            return (null, null);
        }

        var (mean, max) = Allocate(batchSize, width, pooling);
        int[] offsets = Offsets(batchSizes);
        for (int b = 0; b < batchSize; b++)
        {
            int length = Length(batchSizes, b);
            for (int j = 0; j < width; j++)
            {
                double sum = 0;
                float top = 0;
                for (int t = 0; t < length; t++)
                {
                    float value = output[(offsets[t] + b) * width + j];
                    sum += value;
                    top = t == 0 || value > top || float.IsNaN(value) ? value : top;
                }

                if (mean is not null && length > 0)
                {
                    mean[b * width + j] = (float)(sum / length);
                }

                if (max is not null)
                {
                    max[b * width + j] = top;
                }
            }
        }

        return (mean, max);
    }

    /// <summary>The devices' reduction (the ILGPU kernel does the same operations in the same order).</summary>
    /// <param name="offsets">[T + 1]: where each step's rows begin in <paramref name="output"/> (<see cref="LstmBatch.Validate"/>).</param>
    public static (float[]? Mean, float[]? Max) Pool(ReadOnlySpan<float> output, int[] batchSizes, ReadOnlySpan<int> offsets, int batchSize, int width,
        LstmPooling pooling)
    {
        if (pooling == LstmPooling.None)
        {
            return (null, null); // the output may not have been kept
        }

        var (mean, max) = Allocate(batchSize, width, pooling);
        var sum = new float[width];
        var compensation = new float[width];
        var top = new float[width];
        for (int b = 0; b < batchSize; b++)
        {
            int length = Length(batchSizes, b);
            Array.Clear(sum);
            Array.Clear(compensation);
            Array.Clear(top);
            for (int t = 0; t < length; t++)
            {
                var step = output.Slice((offsets[t] + b) * width, width);
                for (int j = 0; j < width; j++)
                {
                    float value = step[j];
                    float total = sum[j] + value;
                    compensation[j] += Magnitude(sum[j]) >= Magnitude(value) ? sum[j] - total + value : value - total + sum[j];
                    sum[j] = total;
                    top[j] = t == 0 || value > top[j] || float.IsNaN(value) ? value : top[j];
                }
            }

            for (int j = 0; j < width && length > 0; j++)
            {
                if (mean is not null)
                {
                    // An infinite sum has a NaN compensation (∞ − ∞); it is then the answer as it stands.
                    float total = float.IsFinite(sum[j]) ? sum[j] + compensation[j] : sum[j];
                    mean[b * width + j] = total / length;
                }

                if (max is not null)
                {
                    max[b * width + j] = top[j];
                }
            }
        }

        return (mean, max);
    }

    /// <summary>A sequence's length from the batch sizes: the steps t with batch_sizes[t] &gt; b (they are sorted).</summary>
    private static int Length(int[] batchSizes, int b)
    {
        int length = 0;
        while (length < batchSizes.Length && batchSizes[length] > b)
        {
            length++;
        }

        return length;
    }

    private static int[] Offsets(int[] batchSizes)
    {
        var offsets = new int[batchSizes.Length + 1];
        for (int t = 0; t < batchSizes.Length; t++)
        {
            offsets[t + 1] = offsets[t] + batchSizes[t];
        }

        return offsets;
    }

    private static float Magnitude(float value) => value < 0 ? -value : value;

    private static (float[]? Mean, float[]? Max) Allocate(int batchSize, int width, LstmPooling pooling) =>
        (pooling.HasFlag(LstmPooling.Mean) ? new float[batchSize * width] : null, pooling.HasFlag(LstmPooling.Max) ? new float[batchSize * width] : null);
}
