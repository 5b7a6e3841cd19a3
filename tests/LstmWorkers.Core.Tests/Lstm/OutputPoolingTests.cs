using LstmWorkers.Core.Lstm;
using LstmWorkers.TestSupport;

namespace LstmWorkers.Core.Tests.Lstm;

/// <summary><see cref="OutputPooling.Pool"/>, the devices' reduction, against hand-computed rows and the double reference.</summary>
public class OutputPoolingTests
{
    [Fact]
    public void Pool_of_a_hand_computed_batch_reduces_each_row_over_its_own_steps()
    {
        // Rows of lengths 3, 1, 0 (batch order), width 2; packed rows: t0 → b0 b1, t1 → b0, t2 → b0.
        int[] batchSizes = [2, 1, 1];
        float[] output = [1, -2, 5, 6, 2, -4, 6, 0];

        var (mean, max) = OutputPooling.Pool(output, batchSizes, [0, 2, 3, 4], 3, 2, LstmPooling.Mean | LstmPooling.Max);

        Assert.Equal([3, -2, 5, 6, 0, 0], mean!);
        Assert.Equal([6, 0, 5, 6, 0, 0], max!);
    }

    [Fact]
    public void Pool_returns_only_the_reductions_asked_for()
    {
        var (mean, max) = OutputPooling.Pool([1, 2], [1], [0, 1], 1, 2, LstmPooling.Max);

        Assert.Null(mean);
        Assert.Equal([1, 2], max!);
    }

    [Fact]
    public void A_nan_step_makes_the_max_and_the_mean_nan_and_an_infinite_step_gives_an_infinite_mean()
    {
        float[] output = [1, 1, float.NaN, float.PositiveInfinity, 3, 2];

        var (mean, max) = OutputPooling.Pool(output, [1, 1, 1], [0, 1, 2, 3], 1, 2, LstmPooling.Mean | LstmPooling.Max);

        Assert.True(float.IsNaN(mean![0]) && float.IsNaN(max![0]));
        Assert.Equal(float.PositiveInfinity, mean[1]);
        Assert.Equal(float.PositiveInfinity, max[1]);
    }

    [Fact]
    public void Pool_of_long_rows_stays_within_a_float_rounding_of_the_double_reference()
    {
        // 20,000 steps of values in [0.7, 1): a plain float sum drifts by ~2e-6 relative here, 20 times this bound (two roundings).
        var random = new Random(5);
        int[] lengths = [20000, 12345, 1];
        int[] batchSizes = [.. Enumerable.Range(0, lengths[0]).Select(t => lengths.Count(l => l > t))];
        int width = 3;
        var output = new float[lengths.Sum() * width];
        for (int i = 0; i < output.Length; i++)
        {
            output[i] = (float)(0.7 + 0.3 * random.NextDouble());
        }

        var offsets = new int[batchSizes.Length + 1];
        for (int t = 0; t < batchSizes.Length; t++)
        {
            offsets[t + 1] = offsets[t] + batchSizes[t];
        }

        var (mean, max) = OutputPooling.Pool(output, batchSizes, offsets, lengths.Length, width, LstmPooling.Mean | LstmPooling.Max);
        var (referenceMean, referenceMax) = OutputPooling.Reference(output, batchSizes, lengths.Length, width, LstmPooling.Mean | LstmPooling.Max);

        TensorAssert.Close(referenceMean!, mean!, 0, 1.2e-7, "pooled_mean");
        Assert.Equal(referenceMax, max);
    }
}
