using System.Buffers;
using System.Numerics.Tensors;
using LstmWorkers.Core.Limits;
using LstmWorkers.Core.Models;

namespace LstmWorkers.Core.Lstm.Cpu;

/// <summary>
/// The first vectorized CPU LSTM (v1), kept as the plain baseline that the benchmark's step
/// history starts from: one <see cref="TensorPrimitives.Dot"/> per gate row and time step
/// (≈1–2 GFLOP/s). <see cref="CpuLstmRunner"/> is the fast one. Per layer and direction: first the input projection of every packed
/// step, G = X·W_ihᵀ + (b_ih + b_hh) as [N, 4H]; then the recurrence, step by step over the
/// sequences still running, adding W_hh·h and applying the gates with vector sigmoid/tanh.
/// Each output element is a fixed sequence of operations on that sequence's data alone, so a
/// sequence's result is bit-for-bit the same whatever batch it is in. Thread-safe: scratch
/// buffers are per call.
/// </summary>
public sealed class RowDotCpuLstmRunner : ILstmRunner
{
    private readonly float[]?[] _biases;
    private readonly Embedding? _embedding;

    public RowDotCpuLstmRunner(LstmModel model)
    {
        Model = model;
        _embedding = model.Embedding is null ? null : new Embedding(model.Embedding);
        var config = model.Config;
        _biases = new float[]?[config.NumLayers * config.NumDirections];
        for (int layer = 0; layer < config.NumLayers; layer++)
        {
            for (int direction = 0; direction < config.NumDirections; direction++)
            {
                var weights = model.Weights(layer, direction);
                if (weights.InputBias is { } inputBias && weights.HiddenBias is { } hiddenBias)
                {
                    var sum = new float[inputBias.Length];
                    TensorPrimitives.Add(inputBias, hiddenBias, sum);
                    _biases[layer * config.NumDirections + direction] = sum;
                }
            }
        }
    }

    public LstmModel Model { get; }

    public LstmBatchResult Run(LstmBatch batch, CancellationToken cancellationToken)
    {
        var config = Model.Config;
        int directions = config.NumDirections, hidden = config.HiddenSize, outputSize = config.OutputSize;
        int[] stepOffsets = batch.Validate(config);
        int steps = stepOffsets[^1], batchSize = batch.BatchSize;
        LstmBatch.Check(SizeLimits.Product(steps, 4, hidden), $"the row-dot runner's gates: {steps} steps × {4 * hidden}");
        LstmBatch.Check(SizeLimits.Product(steps, directions, outputSize), $"a layer's output: {steps} steps × {directions * outputSize}");
        float[] input = batch.Features ?? _embedding!.Lookup(batch.Tokens!);
        int inputSize = config.InputSize;
        var hn = new float[config.NumLayers * directions * batchSize * outputSize];
        var cn = new float[config.NumLayers * directions * batchSize * hidden];
        float[] gates = ArrayPool<float>.Shared.Rent(Math.Max(1, steps * 4 * hidden));
        try
        {
            for (int layer = 0; layer < config.NumLayers; layer++)
            {
                var output = new float[steps * directions * outputSize];
                for (int direction = 0; direction < directions; direction++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int k = layer * directions + direction;
                    var weights = Model.Weights(layer, direction);
                    var h = hn.AsSpan(k * batchSize * outputSize, batchSize * outputSize);
                    var c = cn.AsSpan(k * batchSize * hidden, batchSize * hidden);
                    batch.Initial?.H.Data.AsSpan(k * batchSize * outputSize, h.Length).CopyTo(h);
                    batch.Initial?.C.Data.AsSpan(k * batchSize * hidden, c.Length).CopyTo(c);
                    InputProjection(input.AsSpan(0, steps * inputSize), inputSize, weights.InputWeights, _biases[k],
                        gates.AsSpan(0, steps * 4 * hidden));
                    Recurrence(config, weights, gates, batch.BatchSizes, stepOffsets, reverse: direction == 1, h, c,
                        output, direction * outputSize);
                }

                input = output;
                inputSize = directions * outputSize;
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(gates);
        }

        var (mean, max) = OutputPooling.Pool(input, batch.BatchSizes, stepOffsets, batchSize, directions * outputSize, batch.Pooling);
        return new LstmBatchResult(batch.NeedOutput ? input : null, hn, cn) { PooledMean = mean, PooledMax = max };
    }

    public void Dispose()
    {
    }

    /// <summary>gates[n, r] = x[n, :] · W_ih[r, :] + bias[r], for x [N, I] and W_ih [4H, I].</summary>
    private static void InputProjection(ReadOnlySpan<float> x, int inputSize, float[] inputWeights, float[]? bias, Span<float> gates)
    {
        int rows = inputWeights.Length / Math.Max(1, inputSize);
        int steps = inputSize == 0 ? 0 : x.Length / inputSize;
        for (int n = 0; n < steps; n++)
        {
            var xRow = x.Slice(n * inputSize, inputSize);
            var gateRow = gates.Slice(n * rows, rows);
            for (int r = 0; r < rows; r++)
            {
                gateRow[r] = TensorPrimitives.Dot(xRow, inputWeights.AsSpan(r * inputSize, inputSize));
            }

            if (bias is not null)
            {
                TensorPrimitives.Add(gateRow, bias, gateRow);
            }
        }
    }

    /// <summary>Runs one direction of one layer over the packed steps, writing h into
    /// output[row, column … column + H_out) (output rows are D·H_out wide).</summary>
    private static void Recurrence(LstmConfig config, LstmLayerWeights weights, float[] gates, int[] batchSizes, int[] stepOffsets,
        bool reverse, Span<float> h, Span<float> c, float[] output, int column)
    {
        int hidden = config.HiddenSize, outputSize = config.OutputSize, width = config.NumDirections * outputSize;
        Span<float> cellHidden = hidden <= 1024 ? stackalloc float[hidden] : new float[hidden];
        for (int s = 0; s < batchSizes.Length; s++)
        {
            int t = reverse ? batchSizes.Length - 1 - s : s;
            for (int b = 0; b < batchSizes[t]; b++)
            {
                int row = stepOffsets[t] + b;
                var g = gates.AsSpan(row * 4 * hidden, 4 * hidden);
                var hRow = h.Slice(b * outputSize, outputSize);
                var cRow = c.Slice(b * hidden, hidden);
                for (int r = 0; r < g.Length; r++)
                {
                    g[r] += TensorPrimitives.Dot(weights.HiddenWeights.AsSpan(r * outputSize, outputSize), hRow);
                }

                var i = g[..hidden];
                var f = g.Slice(hidden, hidden);
                var gg = g.Slice(2 * hidden, hidden);
                var o = g.Slice(3 * hidden, hidden);
                TensorPrimitives.Sigmoid(i, i);
                TensorPrimitives.Sigmoid(f, f);
                TensorPrimitives.Tanh(gg, gg);
                TensorPrimitives.Sigmoid(o, o);
                TensorPrimitives.Multiply(f, cRow, cRow);
                TensorPrimitives.MultiplyAdd(i, gg, cRow, cRow);
                TensorPrimitives.Tanh(cRow, cellHidden);
                TensorPrimitives.Multiply(o, cellHidden, cellHidden);
                if (weights.ProjectionWeights is { } projection)
                {
                    for (int p = 0; p < outputSize; p++)
                    {
                        hRow[p] = TensorPrimitives.Dot(projection.AsSpan(p * hidden, hidden), cellHidden);
                    }
                }
                else
                {
                    cellHidden.CopyTo(hRow);
                }

                hRow.CopyTo(output.AsSpan(row * width + column, outputSize));
            }
        }
    }
}
