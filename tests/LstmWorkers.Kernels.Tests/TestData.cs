using LstmWorkers.Core.Lstm;
using LstmWorkers.Core.Models;
using LstmWorkers.TestSupport;

namespace LstmWorkers.Kernels.Tests;

/// <summary>Seeded random tensors, models and packed batches for the kernel tests.</summary>
internal static class TestData
{
    public static float[] Uniform(Random random, int count, float scale = 1f) =>
        Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale)).ToArray();

    public static LstmModel Model(int input, int hidden, int layers, bool bidirectional, int proj, bool bias, int vocab, int seed = 1) =>
        LstmModelReader.Read(SafeTensorsFile.Parse(
            SafeTensorsBuilder.RandomLstm(input, hidden, layers, bidirectional, proj, bias, vocab, seed).ToBytes(), "random"));

    /// <summary>batch_sizes[t] = #{b : lengths[b] &gt; t} for non-increasing lengths.</summary>
    public static int[] BatchSizes(int[] lengths) =>
        Enumerable.Range(0, lengths.Length == 0 ? 0 : lengths.Max()).Select(t => lengths.Count(l => l > t)).ToArray();

    /// <summary>A sorted packed batch with the given non-increasing lengths, random tokens or features, optional random initial state.</summary>
    public static LstmBatch Batch(LstmModel model, int[] lengths, int seed, bool initialState = false)
    {
        var random = new Random(seed);
        var config = model.Config;
        var batchSizes = BatchSizes(lengths);
        int steps = batchSizes.Sum();
        var batch = config.HasEmbedding
            ? new LstmBatch(lengths.Length, batchSizes, Enumerable.Range(0, steps).Select(_ => random.Next(config.VocabSize)).ToArray(), null)
            : new LstmBatch(lengths.Length, batchSizes, null, Uniform(random, steps * config.InputSize));
        if (!initialState)
        {
            return batch;
        }

        int states = config.NumLayers * config.NumDirections;
        return batch with
        {
            Initial = new LstmState(
                new Core.Tensors.Tensor<float>([states, lengths.Length, config.OutputSize], Uniform(random, states * lengths.Length * config.OutputSize)),
                new Core.Tensors.Tensor<float>([states, lengths.Length, config.HiddenSize], Uniform(random, states * lengths.Length * config.HiddenSize))),
        };
    }
}
