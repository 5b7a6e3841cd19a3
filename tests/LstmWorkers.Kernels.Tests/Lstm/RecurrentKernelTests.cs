using LstmWorkers.Kernels.Lstm;
using LstmWorkers.TestSupport;

namespace LstmWorkers.Kernels.Tests.Lstm;

/// <summary>
/// The recurrent step (and the projection after it) against <see cref="RecurrentKernels.Reference"/>
/// at steps where sequences end (forward) and join (reverse); subclasses pick the device.
/// </summary>
public abstract class RecurrentKernelTests(DeviceFixture fixture)
{
    /// <summary>hidden, proj, directions, lengths (non-increasing, with 1s and 0s), step.</summary>
    public static TheoryData<int, int, int, int[], int> Cases() => new()
    {
        { 7, 0, 1, [5, 3, 3, 1, 0], 0 },
        { 7, 0, 2, [5, 3, 3, 1, 0], 2 },     // forward t = 2, reverse t = 2: sequences join and leave
        { 33, 0, 2, [4, 4, 2, 1], 1 },
        { 33, 5, 2, [6, 2, 1, 1, 0, 0], 4 },  // proj_size, reverse joins mid-batch
        { 130, 0, 1, [3, 2, 1], 1 },
        { 130, 17, 2, [2, 1], 0 },
        { 9, 0, 2, [.. Enumerable.Repeat(2, 67), 1], 1 },  // 68 sequences: two 64-row tiles
    };

    protected void Step_equals_the_reference(RecurrentVariant variant, int hidden, int proj, int directions, int[] lengths, int step)
    {
        var random = new Random(hidden * 31 + proj * 7 + directions + step);
        int outputSize = proj > 0 ? proj : hidden, batchSize = lengths.Length;
        int[] batchSizes = TestData.BatchSizes(lengths);
        int[] offsets = new int[batchSizes.Length + 1];
        for (int t = 0; t < batchSizes.Length; t++)
        {
            offsets[t + 1] = offsets[t] + batchSizes[t];
        }

        int steps = offsets[^1];
        var p = new StepParams(hidden, outputSize, batchSize, directions, proj > 0, batchSizes, offsets, step);
        var gates = TestData.Uniform(random, steps * directions * 4 * hidden);
        var hiddenWeights = TestData.Uniform(random, directions * 4 * hidden * outputSize, 0.3f);
        var projection = TestData.Uniform(random, Math.Max(1, directions * proj * hidden), 0.3f);
        var h0 = TestData.Uniform(random, directions * batchSize * outputSize);
        var y = TestData.Uniform(random, steps * directions * outputSize);
        var c = TestData.Uniform(random, directions * batchSize * hidden);
        var hc = TestData.Uniform(random, directions * batchSize * hidden);
        var (expectedY, expectedC, expectedHc) = ((float[])y.Clone(), (float[])c.Clone(), (float[])hc.Clone());
        RecurrentKernels.Reference(gates, hiddenWeights, h0, expectedY, expectedC, expectedHc, p);
        if (proj > 0)
        {
            ProjectionKernels.Reference(projection, expectedHc, expectedY, p);
        }

        var backend = fixture.Backend;
        var accelerator = backend.Accelerator;
        using var gBuffer = accelerator.Upload(gates);
        using var wBuffer = accelerator.Upload(hiddenWeights);
        using var pBuffer = accelerator.Upload(projection);
        using var h0Buffer = accelerator.Upload(h0);
        using var yBuffer = accelerator.Upload(y);
        using var cBuffer = accelerator.Upload(c);
        using var hcBuffer = accelerator.Upload(hc);
        backend.Kernels.Step(backend.Stream, variant, gBuffer.View, wBuffer.View, pBuffer.View, h0Buffer.View, yBuffer.View, cBuffer.View, hcBuffer.View, p);

        TensorAssert.Close(expectedY, yBuffer.Download(backend.Stream), 1e-5, 1e-5, $"{variant} y");
        TensorAssert.Close(expectedC, cBuffer.Download(backend.Stream), 1e-5, 1e-5, $"{variant} c");
        TensorAssert.Close(expectedHc, hcBuffer.Download(backend.Stream), 1e-5, 1e-5, $"{variant} hc");
    }
}
