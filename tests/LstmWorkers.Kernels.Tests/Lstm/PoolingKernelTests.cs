using LstmWorkers.Core.Lstm;
using LstmWorkers.TestSupport;

namespace LstmWorkers.Kernels.Tests.Lstm;

/// <summary>The pooling kernel against <see cref="OutputPooling.Pool"/>, bit for bit (the same operations in the same order);
/// subclasses pick the device.</summary>
public abstract class PoolingKernelTests(DeviceFixture fixture)
{
    protected void Pool_equals_the_cpu_pooling(int width, int[] lengths)
    {
        var random = new Random(width * 31 + lengths.Length);
        int[] batchSizes = TestData.BatchSizes(lengths);
        int[] offsets = new int[batchSizes.Length + 1];
        for (int t = 0; t < batchSizes.Length; t++)
        {
            offsets[t + 1] = offsets[t] + batchSizes[t];
        }

        var y = TestData.Uniform(random, Math.Max(1, offsets[^1] * width));
        var (mean, max) = OutputPooling.Pool(y, batchSizes, offsets, lengths.Length, width, LstmPooling.Mean | LstmPooling.Max);

        var backend = fixture.Backend;
        var accelerator = backend.Accelerator;
        using var yBuffer = accelerator.Upload(y);
        using var lengthBuffer = accelerator.Upload(lengths);
        using var offsetBuffer = accelerator.Upload(offsets);
        using var meanBuffer = accelerator.Upload(TestData.Uniform(random, lengths.Length * width));
        using var maxBuffer = accelerator.Upload(TestData.Uniform(random, lengths.Length * width));
        backend.Kernels.Pool(backend.Stream, yBuffer.View, lengthBuffer.View, offsetBuffer.View, meanBuffer.View, maxBuffer.View, lengths.Length, width);

        TensorAssert.Close(mean!, meanBuffer.Download(backend.Stream), 0, 0, "pooled_mean");
        TensorAssert.Close(max!, maxBuffer.Download(backend.Stream), 0, 0, "pooled_max");
    }
}
