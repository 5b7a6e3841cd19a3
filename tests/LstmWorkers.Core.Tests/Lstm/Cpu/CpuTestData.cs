using LstmWorkers.Core.Lstm;
using LstmWorkers.Core.Models;
using LstmWorkers.Core.Tensors;
using LstmWorkers.TestSupport;

namespace LstmWorkers.Core.Tests.Lstm.Cpu;

/// <summary>Random models, sequences and packed batches for the CPU runner's tests.</summary>
internal static class CpuTestData
{
    public static LstmModel RandomModel(int input, int hidden, int layers, bool bidirectional, int proj, bool bias, int vocab, int seed = 1) =>
        LstmModelReader.Read(SafeTensorsFile.Parse(
            SafeTensorsBuilder.RandomLstm(input, hidden, layers, bidirectional, proj, bias, vocab, seed).ToBytes(), "random"));

    /// <summary>One sequence: token ids, or features flattened [length, I].</summary>
    public static int[] RandomTokens(LstmModel model, int length, Random random) =>
        [.. Enumerable.Range(0, length).Select(_ => random.Next(model.Config.VocabSize))];

    public static float[] RandomFeatures(LstmModel model, int length, Random random) =>
        [.. Enumerable.Range(0, length * model.Config.InputSize).Select(_ => (float)(random.NextDouble() * 2 - 1))];

    /// <summary>Packs sequences (token ids or flattened features) as a sorted batch; returns it with each sequence's position in it.</summary>
    public static (LstmBatch Batch, int[] Position) Pack<T>(LstmModel model, IReadOnlyList<T[]> sequences)
    {
        int width = typeof(T) == typeof(int) ? 1 : model.Config.InputSize;
        var lengths = sequences.Select(s => s.Length / width).ToArray();
        var order = Enumerable.Range(0, sequences.Count).OrderByDescending(i => lengths[i]).ThenBy(i => i).ToArray();
        int steps = lengths.Length == 0 ? 0 : lengths.Max();
        var batchSizes = Enumerable.Range(0, steps).Select(t => lengths.Count(l => l > t)).ToArray();
        var data = new List<T>();
        for (int t = 0; t < steps; t++)
        {
            foreach (int i in order.Where(i => lengths[i] > t))
            {
                data.AddRange(sequences[i].AsSpan(t * width, width).ToArray());
            }
        }

        var position = new int[sequences.Count];
        for (int j = 0; j < order.Length; j++)
        {
            position[order[j]] = j;
        }

        var batch = typeof(T) == typeof(int)
            ? new LstmBatch(sequences.Count, batchSizes, (int[])(object)data.ToArray(), null)
            : new LstmBatch(sequences.Count, batchSizes, null, (float[])(object)data.ToArray());
        return (batch, position);
    }

    /// <summary>A random initial state [L·D, B, ·] for a batch of <paramref name="batchSize"/>.</summary>
    public static LstmState RandomState(LstmModel model, int batchSize, Random random)
    {
        var config = model.Config;
        int layers = config.NumLayers * config.NumDirections;
        float Next() => (float)(random.NextDouble() - 0.5);
        return new LstmState(
            new Tensor<float>([layers, batchSize, config.OutputSize], [.. Enumerable.Range(0, layers * batchSize * config.OutputSize).Select(_ => Next())]),
            new Tensor<float>([layers, batchSize, config.HiddenSize], [.. Enumerable.Range(0, layers * batchSize * config.HiddenSize).Select(_ => Next())]));
    }

    /// <summary>Sequence <paramref name="position"/>'s rows of a packed output [N, width], step by step.</summary>
    public static float[] OutputOf(LstmBatch batch, float[] output, int position, int width)
    {
        var rows = new List<float>();
        for (int t = 0, offset = 0; t < batch.BatchSizes.Length && batch.BatchSizes[t] > position; offset += batch.BatchSizes[t++])
        {
            rows.AddRange(output.AsSpan((offset + position) * width, width).ToArray());
        }

        return [.. rows];
    }

    /// <summary>Sequence <paramref name="position"/>'s slices of a state [L·D, B, size].</summary>
    public static float[] StateOf(float[] state, int batchSize, int position, int size)
    {
        var rows = new List<float>();
        for (int k = 0; k < state.Length / (batchSize * size); k++)
        {
            rows.AddRange(state.AsSpan((k * batchSize + position) * size, size).ToArray());
        }

        return [.. rows];
    }
}
