using ILGPU;
using ILGPU.Runtime;
using LstmWorkers.Kernels.Lstm;
using LstmWorkers.Kernels.Runners;
using LstmWorkers.TestSupport;

namespace LstmWorkers.Kernels.Tests.Lstm;

/// <summary>Every input-projection variant against <see cref="InputProjectionKernels.Reference"/>; subclasses pick the device.</summary>
public abstract class InputProjectionKernelTests(DeviceFixture fixture)
{
    public static TheoryData<int, int, int, bool> Shapes() => new()
    {
        { 1, 28, 5, false },      // one row, H = 7
        { 13, 132, 33, false },   // H = 33, neither side a multiple of the tile
        { 70, 1040, 9, false },   // D·4H for H = 130 bidirectional, rows over one tile
        { 65, 56, 17, true },     // embedding rows gathered through tokens
    };

    protected void Projection_equals_the_reference(InputProjectionVariant variant, int rows, int cols, int depth, bool tokens)
    {
        var random = new Random(rows * 1000 + cols + depth);
        int vocab = 11;
        var x = TestData.Uniform(random, (tokens ? vocab : rows) * depth);
        int[]? ids = tokens ? Enumerable.Range(0, rows).Select(_ => random.Next(vocab)).ToArray() : null;
        var weights = TestData.Uniform(random, cols * depth, 0.5f);
        var bias = TestData.Uniform(random, cols);
        var expected = new float[rows * cols];
        InputProjectionKernels.Reference(x, ids, weights, bias, expected, new GemmShape(rows, cols, depth, tokens));

        var backend = fixture.Backend;
        var accelerator = backend.Accelerator;
        using var xBuffer = accelerator.Upload(x);
        using var idBuffer = accelerator.Upload(ids ?? [0]);
        using var wBuffer = accelerator.Upload(weights);
        using var bBuffer = accelerator.Upload(bias);
        using var gBuffer = accelerator.Allocate1D<float>(rows * cols);
        gBuffer.MemSetToZero();
        var shape = new GemmShape(rows, cols, depth, tokens);
        if (variant == InputProjectionVariant.CuBlas)
        {
            using var gathered = accelerator.Allocate1D<float>(rows * depth);
            ArrayView<float> input = xBuffer.View;
            if (tokens)
            {
                backend.Kernels.Gather(backend.Stream, xBuffer.View, idBuffer.View, gathered.View, rows, depth);
                input = gathered.View;
            }

            backend.Kernels.BroadcastBias(backend.Stream, bBuffer.View, gBuffer.View, rows, cols);
            Assert.True(CuBlasProjection.TryCreate(accelerator, backend.Stream, out var blas, out string reason), reason);
            using var owned = blas;
            blas.Project(input, wBuffer.View, gBuffer.View, rows, cols, depth);
            backend.Stream.Synchronize();
        }
        else
        {
            backend.Kernels.InputProjection(backend.Stream, variant, xBuffer.View, idBuffer.View, wBuffer.View, bBuffer.View, gBuffer.View, shape);
        }

        var actual = gBuffer.Download(backend.Stream);
        TensorAssert.Close(expected, actual, 1e-5, 1e-5, $"{variant} G");
    }
}
