using LstmWorkers.Core.Limits;
using LstmWorkers.Core.Models;

namespace LstmWorkers.Core.Lstm;

/// <summary>
/// The LSTM written plainly, as the oracle for every faster runner: PyTorch's <c>nn.LSTM</c> in
/// eval mode on a packed batch, one loop per index, dot products accumulated in double.
/// <code>
/// i = σ(W_ii x + b_ii + W_hi h + b_hi)    f = σ(W_if x + b_if + W_hf h + b_hf)
/// g = tanh(W_ig x + b_ig + W_hg h + b_hg)  o = σ(W_io x + b_io + W_ho h + b_ho)
/// c' = f ⊙ c + i ⊙ g                       h' = o ⊙ tanh(c')   (then h' = W_hr h' with proj_size)
/// </code>
/// Layer k's input is layer k−1's output (forward and reverse halves side by side). The reverse
/// direction walks the steps backwards; a sequence joins at its own last step with its initial
/// state, because packed step t only holds the sequences longer than t.
/// </summary>
public static class LstmReference
{
    public static LstmBatchResult Forward(LstmModel model, LstmBatch batch)
    {
        var config = model.Config;
        int layers = config.NumLayers, directions = config.NumDirections;
        int hidden = config.HiddenSize, outputSize = config.OutputSize, batchSize = batch.BatchSize;
        float[] input = batch.Features ?? new Embedding(model.Embedding!).Lookup(batch.Tokens!);
        int inputSize = config.InputSize;
        int[] stepOffsets = batch.Validate(config);
        LstmBatch.Check(SizeLimits.Product(stepOffsets[^1], directions, outputSize), $"a layer's output: {stepOffsets[^1]} steps × {directions * outputSize}");
        var hn = new float[layers * directions * batchSize * outputSize];
        var cn = new float[layers * directions * batchSize * hidden];
        for (int layer = 0; layer < layers; layer++)
        {
            var output = new float[stepOffsets[^1] * directions * outputSize];
            for (int direction = 0; direction < directions; direction++)
            {
                int k = layer * directions + direction;
                var h = hn.AsSpan(k * batchSize * outputSize, batchSize * outputSize);
                var c = cn.AsSpan(k * batchSize * hidden, batchSize * hidden);
                batch.Initial?.H.Data.AsSpan(k * batchSize * outputSize, h.Length).CopyTo(h);
                batch.Initial?.C.Data.AsSpan(k * batchSize * hidden, c.Length).CopyTo(c);
                var weights = model.Weights(layer, direction);
                for (int s = 0; s < batch.BatchSizes.Length; s++)
                {
                    int t = direction == 0 ? s : batch.BatchSizes.Length - 1 - s;
                    for (int b = 0; b < batch.BatchSizes[t]; b++)
                    {
                        int row = stepOffsets[t] + b;
                        Cell(config, weights, input.AsSpan(row * inputSize, inputSize),
                            h.Slice(b * outputSize, outputSize), c.Slice(b * hidden, hidden));
                        h.Slice(b * outputSize, outputSize)
                            .CopyTo(output.AsSpan((row * directions + direction) * outputSize, outputSize));
                    }
                }
            }

            input = output;
            inputSize = directions * outputSize;
        }

        var (mean, max) = OutputPooling.Reference(input, batch.BatchSizes, batchSize, directions * outputSize, batch.Pooling);
        return new LstmBatchResult(batch.NeedOutput ? input : null, hn, cn) { PooledMean = mean, PooledMax = max };
    }

    /// <summary>One step of one sequence: updates <paramref name="h"/> [H_out] and <paramref name="c"/> [H] in place.</summary>
    public static void Cell(LstmConfig config, LstmLayerWeights weights, ReadOnlySpan<float> x, Span<float> h, Span<float> c)
    {
        int hidden = config.HiddenSize, outputSize = config.OutputSize, inputSize = x.Length;
        var gates = new double[4 * hidden];
        for (int r = 0; r < gates.Length; r++)
        {
            double sum = 0;
            for (int j = 0; j < inputSize; j++)
            {
                sum += (double)weights.InputWeights[r * inputSize + j] * x[j];
            }

            for (int j = 0; j < outputSize; j++)
            {
                sum += (double)weights.HiddenWeights[r * outputSize + j] * h[j];
            }

            if (weights.InputBias is not null && weights.HiddenBias is not null)
            {
                sum += (double)weights.InputBias[r] + weights.HiddenBias[r];
            }

            gates[r] = sum;
        }

        var hiddenValues = new double[hidden];
        for (int u = 0; u < hidden; u++)
        {
            double i = Sigmoid(gates[u]);
            double f = Sigmoid(gates[hidden + u]);
            double g = Math.Tanh(gates[2 * hidden + u]);
            double o = Sigmoid(gates[3 * hidden + u]);
            double cell = f * c[u] + i * g;
            c[u] = (float)cell;
            hiddenValues[u] = o * Math.Tanh(cell);
        }

        if (weights.ProjectionWeights is { } projection)
        {
            for (int p = 0; p < outputSize; p++)
            {
                double sum = 0;
                for (int u = 0; u < hidden; u++)
                {
                    sum += (double)projection[p * hidden + u] * hiddenValues[u];
                }

                h[p] = (float)sum;
            }
        }
        else
        {
            for (int u = 0; u < hidden; u++)
            {
                h[u] = (float)hiddenValues[u];
            }
        }
    }

    private static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));
}
