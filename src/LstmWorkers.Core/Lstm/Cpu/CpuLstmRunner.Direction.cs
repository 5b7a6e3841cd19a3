using System.Runtime.CompilerServices;

namespace LstmWorkers.Core.Lstm.Cpu;

public sealed unsafe partial class CpuLstmRunner
{
    /// <summary>
    /// One layer in one direction over the packed steps: the forward direction walks t = 0 … T−1
    /// and drops a sequence after its last step; the reverse one walks back from T−1 and takes a
    /// sequence in, with its initial state, at its last step.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // its step loop is hot from the first call: no tier-0 or OSR code
    private void RunDirection(LayerArgs args, int direction)
    {
        var config = Model.Config;
        int k = args.Layer * config.NumDirections + direction;
        var layer = _layers[k];
        int hp = layer.HiddenPadded, outputPadded = layer.OutputPadded, columns = 4 * hp, batchSize = args.BatchSize;
        int[] batchSizes = args.BatchSizes, offsets = args.Offsets;
        int steps = batchSizes.Length;
        bool reverse = direction == 1, projection = layer.ProjectionPanels is not null;
        float* table = args.Layer == 0 && args.Tokens != null && _tables is not null ? _tables[direction].Pointer : null;
        bool gather = args.Layer == 0 && args.Tokens != null && table == null;
        int embed = config.InputSize;
        int chunkRows = Math.Max(_options.ChunkRows, steps > 0 ? batchSizes[0] : 0);

        long statePieces = (long)batchSize * outputPadded;
        var scratch = new PinnedScratch(PinnedScratch.Size(
            table != null ? (long)batchSize * columns : (long)chunkRows * columns,
            gather ? (long)chunkRows * embed : 0,
            statePieces, statePieces, statePieces,
            (long)batchSize * hp,
            projection ? (long)batchSize * hp : 0,
            2L * batchSize));
        try
        {
            // The chunk's input projections; with a table, the gate pre-activations of one step.
            float* projected = scratch.Take(table != null ? (long)batchSize * columns : (long)chunkRows * columns);
            float* gathered = gather ? scratch.Take((long)chunkRows * embed) : null;
            float* hPrevious = scratch.Take(statePieces), hNext = scratch.Take(statePieces), hFinal = scratch.Take(statePieces);
            float* c = scratch.Take((long)batchSize * hp);
            float* hRaw = projection ? scratch.Take((long)batchSize * hp) : null;
            float** init = (float**)scratch.Take(2L * batchSize);

            // Initial state: h_0 into hFinal (where a sequence's h sits while it is not running), c_0 into c.
            new Span<float>(hFinal, (int)statePieces).Clear();
            new Span<float>(c, batchSize * hp).Clear();
            if (args.Initial is { } initial)
            {
                for (int b = 0; b < batchSize; b++)
                {
                    initial.H.Data.AsSpan((k * batchSize + b) * layer.OutputSize, layer.OutputSize).CopyTo(Row(hFinal, outputPadded, b, layer.OutputSize));
                    initial.C.Data.AsSpan((k * batchSize + b) * layer.Hidden, layer.Hidden).CopyTo(Row(c, hp, b, layer.Hidden));
                }
            }

            new Span<float>(hPrevious, (int)statePieces).Clear();
            new Span<float>(hNext, (int)statePieces).Clear();
            if (!reverse)
            {
                CopyRows(hFinal, hPrevious, outputPadded, 0, batchSize, outputPadded);
            }

            for (int first = 0; first < steps;)
            {
                args.CancellationToken.ThrowIfCancellationRequested();

                // The chunk: steps [first, last) in walking order, rows [chunkStart, chunkStart + rows) in packed order.
                int last = first, rows = 0;
                while (last < steps && (last == first || rows + batchSizes[StepAt(last)] <= chunkRows))
                {
                    rows += batchSizes[StepAt(last++)];
                }

                int chunkStart = reverse ? offsets[steps - last] : offsets[first];
                if (table == null)
                {
                    float* a = args.Input + (long)chunkStart * args.InputStride;
                    int lda = args.InputStride;
                    if (gather)
                    {
                        var embedding = Model.Embedding!.Data;
                        for (int r = 0; r < rows; r++)
                        {
                            embedding.AsSpan(args.Tokens[chunkStart + r] * embed, embed).CopyTo(new Span<float>(gathered + (long)r * embed, embed));
                        }

                        a = gathered;
                        lda = embed;
                    }

                    Gemm(rows, layer.InputPanelCount, layer.InputSize, a, lda, layer.InputPanels.Pointer, layer.Bias.Pointer, projected, columns);
                }

                for (int s = first; s < last; s++)
                {
                    int t = StepAt(s), active = batchSizes[t], offset = offsets[t];
                    if (!reverse && t > 0)
                    {
                        CopyRows(hPrevious, hFinal, outputPadded, active, batchSizes[t - 1], outputPadded);
                    }
                    else if (reverse)
                    {
                        CopyRows(hFinal, hPrevious, outputPadded, t + 1 < steps ? batchSizes[t + 1] : 0, active, outputPadded);
                    }

                    for (int b = 0; b < active; b++)
                    {
                        init[b] = table != null
                            ? table + (long)args.Tokens[offset + b] * columns
                            : projected + (long)(offset + b - chunkStart) * columns;
                    }

                    float* output = args.Output == null ? null : args.Output + (long)offset * args.OutputStride + direction * outputPadded;
                    float* gates = table != null ? projected : projected + (long)(offset - chunkStart) * columns;
                    if (projection)
                    {
                        Step(layer, active, hPrevious, outputPadded, init, gates, c, hRaw, hp, null, 0);
                        Gemm(active, outputPadded / (2 * _lanes), layer.Hidden, hRaw, hp, layer.ProjectionPanels!.Pointer,
                            layer.ProjectionBias!.Pointer, hNext, outputPadded);
                        if (output != null)
                        {
                            for (int b = 0; b < active; b++)
                            {
                                Row(hNext, outputPadded, b, outputPadded).CopyTo(Row(output, args.OutputStride, b, outputPadded));
                            }
                        }
                    }
                    else
                    {
                        Step(layer, active, hPrevious, outputPadded, init, gates, c, hNext, outputPadded, output, args.OutputStride);
                    }

                    float* swap = hPrevious;
                    hPrevious = hNext;
                    hNext = swap;
                }

                first = last;
            }

            if (steps > 0)
            {
                CopyRows(hPrevious, hFinal, outputPadded, 0, batchSizes[reverse ? 0 : steps - 1], outputPadded);
            }

            for (int b = 0; b < batchSize; b++)
            {
                Row(hFinal, outputPadded, b, layer.OutputSize).CopyTo(new Span<float>(args.HiddenState + ((long)k * batchSize + b) * layer.OutputSize, layer.OutputSize));
                Row(c, hp, b, layer.Hidden).CopyTo(new Span<float>(args.CellState + ((long)k * batchSize + b) * layer.Hidden, layer.Hidden));
            }
        }
        finally
        {
            scratch.Dispose();
        }

        int StepAt(int s) => reverse ? steps - 1 - s : s;
    }
}
