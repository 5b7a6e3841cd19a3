using LstmWorkers.Coordinator.Planning;
using LstmWorkers.Core.Lstm;
using LstmWorkers.Core.Packing;
using LstmWorkers.Core.Tensors;
using LstmWorkers.Data.Input;
using LstmWorkers.Data.Output;

namespace LstmWorkers.Coordinator.Jobs;

/// <summary>
/// Gathers the batch results of one window back into input order: <c>output</c> [rows, T, D·H_out] prefilled with the
/// padding value (ragged: each row's [length, D·H_out] one after another, nothing to fill), <c>h_n</c> [rows, L·D, H_out],
/// <c>c_n</c> [rows, L·D, H], <c>pooled_mean</c> and <c>pooled_max</c> [rows, D·H_out].
/// Batches cover disjoint rows, so <see cref="Add"/> may run concurrently for different batches.
/// </summary>
public sealed class WindowResults
{
    private readonly RowChunk _window;
    private readonly JobShape _shape;
    private readonly float[]? _output;
    private readonly long[]? _outputRowStart;
    private readonly float[]? _hidden;
    private readonly float[]? _cell;
    private readonly float[]? _mean;
    private readonly float[]? _max;

    public WindowResults(RowChunk window, JobShape shape)
    {
        _window = window;
        _shape = shape;
        if (shape.OutputRowSize is { } outputRow)
        {
            _output = new float[(long)window.Count * outputRow];
            _output.AsSpan().Fill(shape.PaddingValue);
            _outputRowStart = Array.ConvertAll(Enumerable.Range(0, window.Count).ToArray(), row => (long)row * outputRow);
        }
        else if (shape.OutputStepSize is { } stepSize)
        {
            _output = new float[(long)window.TotalSteps * stepSize]; // within one array: windows are cut by steps (JobShape.WindowSteps)
            _outputRowStart = Array.ConvertAll(window.Offsets.AsSpan(0, window.Count).ToArray(), offset => (long)offset * stepSize);
        }

        _hidden = Rows(window, shape.HiddenRowSize);
        _cell = Rows(window, shape.CellRowSize);
        _mean = Rows(window, shape.PooledMeanRowSize);
        _max = Rows(window, shape.PooledMaxRowSize);
    }

    /// <param name="batch">The rows of the window the results are for.</param>
    /// <param name="encoded">The batch's results in its (sorted) order: output [N, D·H_out] packed, when the job writes
    /// <c>output</c>; h_n [L·D, B, H_out]; c_n [L·D, B, H]; pooled vectors [B, D·H_out], when the job writes them.</param>
    public void Add(PlannedBatch batch, LstmBatchResult encoded)
    {
        if (_output is not null)
        {
            var data = encoded.Output ?? throw new InvalidOperationException("a batch came back without the output that was asked for");
            int steps = (int)batch.Tokens;
            var packed = new PackedSequence<float>(new Tensor<float>([steps, _shape.StepWidth], data), batch.BatchSizes, null, null, batch.Rows.Length);
            var rowStart = Array.ConvertAll(batch.Rows, row => _outputRowStart![row]);
            RnnUtils.UnpackRows(packed, _output, rowStart, _shape.StepWidth);
        }

        Scatter(batch, encoded.HiddenState, _hidden, _shape.StateLayers, _shape.Config.OutputSize, OutputSchema.HnColumn);
        Scatter(batch, encoded.CellState, _cell, _shape.StateLayers, _shape.Config.HiddenSize, OutputSchema.CnColumn);
        Scatter(batch, encoded.PooledMean, _mean, 1, _shape.StepWidth, OutputSchema.PooledMeanColumn);
        Scatter(batch, encoded.PooledMax, _max, 1, _shape.StepWidth, OutputSchema.PooledMaxColumn);
    }

    public EncodedChunk ToChunk() => new(_window.Ids, _window.Lengths, _output, _hidden, _cell, _mean, _max);

    private static float[]? Rows(RowChunk window, int? rowSize) => rowSize is { } size ? new float[(long)window.Count * size] : null;

    /// <summary>Per-row results [layers, B, size] in batch order → rows of [layers, size] in window order.</summary>
    private static void Scatter(PlannedBatch batch, float[]? values, float[]? destination, int layers, int size, string what)
    {
        if (destination is null)
        {
            return;
        }

        int batchSize = batch.Rows.Length;
        if (values is null || values.Length != layers * batchSize * size)
        {
            throw new InvalidOperationException(
                $"a batch's {what} came back with {values?.Length.ToString() ?? "no"} values; [{layers}, {batchSize}, {size}] was expected");
        }

        for (int k = 0; k < layers; k++)
        {
            for (int j = 0; j < batchSize; j++)
            {
                values.AsSpan((k * batchSize + j) * size, size)
                    .CopyTo(destination.AsSpan((batch.Rows[j] * layers + k) * size, size));
            }
        }
    }
}
