using ILGPU;
using ILGPU.Runtime;
using LstmWorkers.Core.Limits;
using LstmWorkers.Core.Lstm;
using LstmWorkers.Core.Models;
using LstmWorkers.Kernels.Lstm;

namespace LstmWorkers.Kernels.Runners;

/// <summary>
/// A model resident on an ILGPU accelerator. Per batch: the inputs, lengths and initial state go
/// up once; per layer one input-projection GEMM over all N packed steps and both directions,
/// then T step launches (two with proj_size), each covering both directions; one h_n gather; one pooling launch when
/// pooled vectors are asked for; then output (when asked for), the pooled vectors, h_n and c_n come down once. Every launch is queued on the backend's one stream and
/// the only synchronization is the first download. Thread-safe: runs are serialized on the
/// backend's lock (one accelerator, one stream).
/// </summary>
internal sealed class IlgpuLstmRunner : ILstmRunner
{
    private readonly IlgpuLstmBackend _backend;
    private readonly DeviceLayer[] _layers;
    private readonly MemoryBuffer1D<float, Stride1D.Dense>? _embedding;
    private readonly DeviceBuffer<int> _tokens, _lengths, _offsets;
    private readonly DeviceBuffer<float> _x, _gates, _y, _hn, _cn, _hc, _pooled;

    public IlgpuLstmRunner(IlgpuLstmBackend backend, LstmModel model)
    {
        _backend = backend;
        Model = model;
        var accelerator = backend.Accelerator;
        lock (backend.Gate)
        {
            accelerator.Bind();
            _layers = Enumerable.Range(0, model.Config.NumLayers).Select(layer => new DeviceLayer(accelerator, model, layer)).ToArray();
            _embedding = model.Embedding is { } table ? DeviceLayer.Upload(accelerator, table.Data) : null;
        }

        (_tokens, _lengths, _offsets) = (new(accelerator), new(accelerator), new(accelerator));
        (_x, _gates, _y, _hn, _cn, _hc, _pooled) =
            (new(accelerator), new(accelerator), new(accelerator), new(accelerator), new(accelerator), new(accelerator), new(accelerator));
    }

    public LstmModel Model { get; }

    public LstmBatchResult Run(LstmBatch batch, CancellationToken cancellationToken)
    {
        var config = Model.Config;
        int layers = config.NumLayers, directions = config.NumDirections, hidden = config.HiddenSize, outputSize = config.OutputSize;
        int batchSize = batch.BatchSize, width = directions * outputSize;
        int[] offsets = batch.Validate(config);
        int steps = offsets[^1];
        CheckDeviceSizes(steps);
        var hn = new float[layers * directions * batchSize * outputSize];
        var cn = new float[layers * directions * batchSize * hidden];
        batch.Initial?.H.Data.AsSpan(0, hn.Length).CopyTo(hn);
        batch.Initial?.C.Data.AsSpan(0, cn.Length).CopyTo(cn);
        float[]? mean = batch.Pooling.HasFlag(LstmPooling.Mean) ? new float[batchSize * width] : null;
        float[]? max = batch.Pooling.HasFlag(LstmPooling.Max) ? new float[batchSize * width] : null;
        if (steps == 0)
        {
            return new LstmBatchResult(batch.NeedOutput ? [] : null, hn, cn) { PooledMean = mean, PooledMax = max };
        }

        int[] lengths = Lengths(batch);
        float[]? output = batch.NeedOutput ? new float[steps * width] : null;
        lock (_backend.Gate)
        {
            _backend.Accelerator.Bind();
            var stream = _backend.Stream;
            var kernels = _backend.Kernels;
            var lengthView = Upload(_lengths, lengths);
            var offsetView = Upload(_offsets, offsets);
            var hnView = Upload(_hn, hn);
            var cnView = Upload(_cn, cn);
            var tokens = batch.Tokens is { } ids ? Upload(_tokens, ids) : _tokens.View(1);
            var x = batch.Features is { } features ? Upload(_x, features) : default;
            var y = _y.View((long)steps * directions * outputSize);
            var gates = _gates.View((long)steps * directions * 4 * hidden);
            var hc = _hc.View((long)directions * batchSize * hidden);
            for (int layer = 0; layer < layers; layer++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var weights = _layers[layer];
                if (layer > 0)
                {
                    Project(weights, y, default, useTokens: false, gates, steps);
                }
                else if (batch.Tokens is not null)
                {
                    Project(weights, _embedding!.View, tokens, useTokens: true, gates, steps);
                }
                else
                {
                    Project(weights, x, default, useTokens: false, gates, steps);
                }

                var h0 = hnView.SubView((long)layer * directions * batchSize * outputSize, (long)directions * batchSize * outputSize);
                var c = cnView.SubView((long)layer * directions * batchSize * hidden, (long)directions * batchSize * hidden);
                for (int s = 0; s < batch.BatchSizes.Length; s++)
                {
                    var p = new StepParams(hidden, outputSize, batchSize, directions, config.ProjSize > 0, batch.BatchSizes, offsets, s);
                    kernels.Step(stream, _backend.Options.Recurrent, gates, weights.HiddenWeights, weights.ProjectionWeights, h0, y, c, hc, p);
                }

                kernels.FinalHidden(stream, y, lengthView, offsetView, h0, batchSize, directions, outputSize);
            }

            if (output is not null)
            {
                y.CopyToCPU(stream, output);
            }

            if (batch.Pooling != LstmPooling.None)
            {
                var pooled = _pooled.View(2L * batchSize * width);
                var (meanView, maxView) = (pooled.SubView(0, (long)batchSize * width), pooled.SubView((long)batchSize * width, (long)batchSize * width));
                kernels.Pool(stream, y, lengthView, offsetView, meanView, maxView, batchSize, width);
                if (mean is not null)
                {
                    meanView.CopyToCPU(stream, mean);
                }

                if (max is not null)
                {
                    maxView.CopyToCPU(stream, max);
                }
            }

            hnView.CopyToCPU(stream, hn);
            cnView.CopyToCPU(stream, cn);
        }

        return new LstmBatchResult(output, hn, cn) { PooledMean = mean, PooledMax = max };
    }

    public void Dispose()
    {
        lock (_backend.Gate)
        {
            _backend.Accelerator.Bind();
            foreach (var layer in _layers)
            {
                layer.Dispose();
            }

            _embedding?.Dispose();
            foreach (var buffer in new IDisposable[] { _tokens, _lengths, _offsets, _x, _gates, _y, _hn, _cn, _hc, _pooled })
            {
                buffer.Dispose();
            }
        }
    }

    /// <summary>gates [N, D·4H] = input · W_ihᵀ + b for both directions, with the backend's projection variant.</summary>
    private void Project(DeviceLayer weights, ArrayView<float> input, ArrayView<int> tokens, bool useTokens, ArrayView<float> gates, int steps)
    {
        var shape = new GemmShape(steps, Model.Config.NumDirections * 4 * Model.Config.HiddenSize, weights.InputSize, useTokens);
        if (_backend.CuBlas is not { } blas)
        {
            _backend.Kernels.InputProjection(_backend.Stream, _backend.ProjectionVariant, input, useTokens ? tokens : _tokens.View(1), weights.InputWeights,
                weights.Bias, gates, shape);
            return;
        }

        if (useTokens)
        {
            var gathered = _x.View((long)steps * weights.InputSize);
            _backend.Kernels.Gather(_backend.Stream, input, tokens, gathered, steps, weights.InputSize);
            input = gathered;
        }

        _backend.Kernels.BroadcastBias(_backend.Stream, weights.Bias, gates, shape.Rows, shape.Cols);
        blas.Project(input, weights.InputWeights, gates, shape.Rows, shape.Cols, shape.Depth);
    }

    /// <summary>
    /// The device holds every layer's gates [N, D·4H] and output [N, D·H_out] whatever the job writes, and launches its
    /// element-wise kernels over them with 32-bit indices: both must fit the program's size limit.
    /// </summary>
    private void CheckDeviceSizes(int steps)
    {
        var config = Model.Config;
        LstmBatch.Check(SizeLimits.Product(steps, config.NumDirections, 4, config.HiddenSize),
            $"the device's gates: {steps} steps × {config.NumDirections * 4 * config.HiddenSize}");
        LstmBatch.Check(SizeLimits.Product(steps, config.NumDirections, config.OutputSize),
            $"the device's layer output: {steps} steps × {config.NumDirections * config.OutputSize}");
    }

    /// <summary>Each sequence's length from the batch sizes: len[b] = #{t : batch_sizes[t] &gt; b}.</summary>
    private static int[] Lengths(LstmBatch batch)
    {
        var lengths = new int[batch.BatchSize];
        foreach (int rows in batch.BatchSizes)
        {
            for (int b = 0; b < rows; b++)
            {
                lengths[b]++;
            }
        }

        return lengths;
    }

    private ArrayView<T> Upload<T>(DeviceBuffer<T> buffer, T[] values)
        where T : unmanaged
    {
        var view = buffer.View(values.Length);
        if (values.Length > 0)
        {
            view.SubView(0, values.Length).CopyFromCPU(_backend.Stream, values);
        }

        return view;
    }
}
