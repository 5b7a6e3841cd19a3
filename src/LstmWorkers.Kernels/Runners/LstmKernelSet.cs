using ILGPU;
using ILGPU.Runtime;
using LstmWorkers.Kernels.Lstm;

namespace LstmWorkers.Kernels.Runners;

/// <summary>
/// Every LSTM kernel compiled once for one accelerator, with its launcher kept. The launchers
/// queue on the stream they are given and never synchronize.
/// </summary>
internal sealed class LstmKernelSet
{
    private readonly Action<AcceleratorStream, Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmShape> _projectionNaive;
    private readonly Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmShape> _projectionTiled;
    private readonly Action<AcceleratorStream, Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>, int> _gather;
    private readonly Action<AcceleratorStream, Index1D, ArrayView<float>, ArrayView<float>, int> _broadcastBias;
    private readonly Action<AcceleratorStream, Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, StepParams> _stepNaive;
    private readonly Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, StepParams> _stepTiled;
    private readonly Action<AcceleratorStream, Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, StepParams> _projectHidden;
    private readonly Action<AcceleratorStream, Index1D, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<float>, int, int, int> _finalHidden;
    private readonly Action<AcceleratorStream, Index1D, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<float>, ArrayView<float>, int> _pool;

    public LstmKernelSet(Accelerator accelerator)
    {
        _projectionNaive = accelerator.LoadAutoGroupedKernel<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmShape>(
            InputProjectionKernels.V1Naive);
        _projectionTiled = accelerator.LoadKernel<ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmShape>(
            InputProjectionKernels.V2Tiled);
        _gather = accelerator.LoadAutoGroupedKernel<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>, int>(InputProjectionKernels.GatherRows);
        _broadcastBias = accelerator.LoadAutoGroupedKernel<Index1D, ArrayView<float>, ArrayView<float>, int>(InputProjectionKernels.BroadcastBias);
        _stepNaive = accelerator.LoadAutoGroupedKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, StepParams>(
            RecurrentKernels.V1Naive);
        _stepTiled = accelerator.LoadKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, StepParams>(
            RecurrentKernels.V2Tiled);
        _projectHidden = accelerator.LoadAutoGroupedKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, StepParams>(ProjectionKernels.V1Naive);
        _finalHidden = accelerator.LoadAutoGroupedKernel<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<float>, int, int, int>(
            StateKernels.FinalHidden);
        _pool = accelerator.LoadAutoGroupedKernel<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<float>, ArrayView<float>, int>(
            PoolingKernels.Pool);
    }

    /// <summary>G [N, cols] = X·Wᵀ + bias with the naive or tiled kernel (X gathered through tokens when shape.UseTokens).</summary>
    public void InputProjection(AcceleratorStream stream, InputProjectionVariant variant, ArrayView<float> x, ArrayView<int> tokens,
        ArrayView<float> weights, ArrayView<float> bias, ArrayView<float> gates, GemmShape shape)
    {
        if (variant == InputProjectionVariant.V1Naive)
        {
            _projectionNaive(stream, (int)((long)shape.Rows * shape.Cols), x, tokens, weights, bias, gates, shape);
            return;
        }

        var grid = new Index2D(Blocks(shape.Cols, InputProjectionKernels.Tile), Blocks(shape.Rows, InputProjectionKernels.Tile));
        var group = new Index2D(InputProjectionKernels.TileThreads, InputProjectionKernels.TileThreads);
        _projectionTiled(stream, new KernelConfig(grid, group), x, tokens, weights, bias, gates, shape);
    }

    /// <summary>x [N, width] = table[tokens[n], :].</summary>
    public void Gather(AcceleratorStream stream, ArrayView<float> table, ArrayView<int> tokens, ArrayView<float> x, int rows, int width) =>
        _gather(stream, rows * width, table, tokens, x, width);

    /// <summary>gates [N, cols] = bias broadcast over rows.</summary>
    public void BroadcastBias(AcceleratorStream stream, ArrayView<float> bias, ArrayView<float> gates, int rows, int cols) =>
        _broadcastBias(stream, rows * cols, bias, gates, cols);

    /// <summary>One recurrent step of both directions (plus the projection launch when proj_size &gt; 0).</summary>
    public void Step(AcceleratorStream stream, RecurrentVariant variant, ArrayView<float> gates, ArrayView<float> hiddenWeights,
        ArrayView<float> projectionWeights, ArrayView<float> h0, ArrayView<float> y, ArrayView<float> c, ArrayView<float> hc, StepParams p)
    {
        if (variant == RecurrentVariant.V1Naive)
        {
            _stepNaive(stream, p.Directions * p.MaxRows * p.Hidden, gates, hiddenWeights, h0, y, c, hc, p);
        }
        else
        {
            var grid = new Index3D(Blocks(p.Hidden, RecurrentKernels.TileThreads), Blocks(p.MaxRows, RecurrentKernels.SequenceTile), p.Directions);
            var group = new Index3D(RecurrentKernels.TileThreads, RecurrentKernels.TileThreads, 1);
            _stepTiled(stream, new KernelConfig(grid, group), gates, hiddenWeights, h0, y, c, hc, p);
        }

        if (p.Projected != 0)
        {
            _projectHidden(stream, p.Directions * p.MaxRows * p.OutputSize, projectionWeights, hc, y, p);
        }
    }

    /// <summary>hn [D, B, H_out] = each sequence's last h from Y (length-0 sequences keep h0).</summary>
    public void FinalHidden(AcceleratorStream stream, ArrayView<float> y, ArrayView<int> lengths, ArrayView<int> stepOffsets,
        ArrayView<float> hn, int batchSize, int directions, int outputSize) =>
        _finalHidden(stream, directions * batchSize * outputSize, y, lengths, stepOffsets, hn, batchSize, directions, outputSize);

    /// <summary>mean, max [B, W] = each sequence's mean and maximum of Y [N, W] over its steps (zeros for length 0).</summary>
    public void Pool(AcceleratorStream stream, ArrayView<float> y, ArrayView<int> lengths, ArrayView<int> stepOffsets,
        ArrayView<float> mean, ArrayView<float> max, int batchSize, int width) =>
        _pool(stream, batchSize * width, y, lengths, stepOffsets, mean, max, width);

    private static int Blocks(int count, int size) => (count + size - 1) / size;
}
