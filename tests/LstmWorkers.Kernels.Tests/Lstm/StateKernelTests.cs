using LstmWorkers.Kernels.Lstm;
using LstmWorkers.TestSupport;

namespace LstmWorkers.Kernels.Tests.Lstm;

/// <summary>The h_n gather against <see cref="StateKernels.FinalHiddenReference"/>; subclasses pick the device.</summary>
public abstract class StateKernelTests(DeviceFixture fixture)
{
    protected void Final_hidden_equals_the_reference(int directions, int outputSize, int[] lengths)
    {
        var random = new Random(directions * 100 + outputSize);
        int[] batchSizes = TestData.BatchSizes(lengths);
        int[] offsets = new int[batchSizes.Length + 1];
        for (int t = 0; t < batchSizes.Length; t++)
        {
            offsets[t + 1] = offsets[t] + batchSizes[t];
        }

        var y = TestData.Uniform(random, Math.Max(1, offsets[^1] * directions * outputSize));
        var hn = TestData.Uniform(random, directions * lengths.Length * outputSize);
        var expected = (float[])hn.Clone();
        StateKernels.FinalHiddenReference(y, lengths, offsets, expected, directions, outputSize);

        var backend = fixture.Backend;
        var accelerator = backend.Accelerator;
        using var yBuffer = accelerator.Upload(y);
        using var lengthBuffer = accelerator.Upload(lengths);
        using var offsetBuffer = accelerator.Upload(offsets);
        using var hnBuffer = accelerator.Upload(hn);
        backend.Kernels.FinalHidden(backend.Stream, yBuffer.View, lengthBuffer.View, offsetBuffer.View, hnBuffer.View, lengths.Length, directions, outputSize);

        TensorAssert.Close(expected, hnBuffer.Download(backend.Stream), 0, 0, "h_n");
    }
}
