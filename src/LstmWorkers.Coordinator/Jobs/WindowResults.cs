using LstmWorkers.Coordinator.Planning;
using LstmWorkers.Core.Packing;
using LstmWorkers.Core.Tensors;
using LstmWorkers.Data.Input;
using LstmWorkers.Data.Output;

namespace LstmWorkers.Coordinator.Jobs;

/// <summary>
/// Gathers the batch results of one window back into input order: <c>output</c> [rows, T, D·H_out]
/// prefilled with the padding value, <c>h_n</c> [rows, L·D, H_out], <c>c_n</c> [rows, L·D, H].
/// Batches cover disjoint rows, so <see cref="Add"/> may run concurrently for different batches.
/// </summary>
public sealed class WindowResults
{
    private readonly RowChunk _window;
    private readonly JobShape _shape;
    private readonly float[]? _output;
    private readonly float[]? _hidden;
    private readonly float[]? _cell;

    public WindowResults(RowChunk window, JobShape shape)
    {
        _window = window;
        _shape = shape;
        if (shape.OutputRowSize is { } outputRow)
        {
            _output = new float[(long)window.Count * outputRow];
            _output.AsSpan().Fill(shape.PaddingValue);
        }

        _hidden = shape.HiddenRowSize is { } hiddenRow ? new float[(long)window.Count * hiddenRow] : null;
        _cell = shape.CellRowSize is { } cellRow ? new float[(long)window.Count * cellRow] : null;
    }

    /// <param name="output">[N, D·H_out] packed, when the job writes <c>output</c>.</param>
    /// <param name="hidden">h_n [L·D, B, H_out] in batch order.</param>
    /// <param name="cell">c_n [L·D, B, H] in batch order.</param>
    public void Add(PlannedBatch batch, float[]? output, float[] hidden, float[] cell)
    {
        if (_output is not null)
        {
            var data = output ?? throw new InvalidOperationException("a batch came back without the output that was asked for");
            int steps = (int)batch.Tokens;
            var packed = new PackedSequence<float>(new Tensor<float>([steps, _shape.StepWidth], data), batch.BatchSizes, null, null, batch.Rows.Length);
            long rowSize = _shape.OutputRowSize!.Value;
            var rowStart = Array.ConvertAll(batch.Rows, row => row * rowSize);
            RnnUtils.UnpackRows(packed, _output, rowStart, _shape.StepWidth);
        }

        Scatter(batch, hidden, _hidden, _shape.Config.OutputSize);
        Scatter(batch, cell, _cell, _shape.Config.HiddenSize);
    }

    public EncodedChunk ToChunk() => new(_window.Ids, _window.Lengths, _output, _hidden, _cell);

    /// <summary>State [L·D, B, size] in batch order → rows of [L·D, size] in window order.</summary>
    private void Scatter(PlannedBatch batch, float[] values, float[]? destination, int size)
    {
        if (destination is null)
        {
            return;
        }

        int batchSize = batch.Rows.Length, layers = _shape.StateLayers;
        if (values.Length != layers * batchSize * size)
        {
            throw new InvalidOperationException($"a state of {values.Length} values came back; [{layers}, {batchSize}, {size}] was expected");
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
