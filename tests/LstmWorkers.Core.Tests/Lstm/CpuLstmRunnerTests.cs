using LstmWorkers.Core.Lstm;
using LstmWorkers.Core.Lstm.Cpu;
using LstmWorkers.Core.Models;
using LstmWorkers.Core.Packing;
using LstmWorkers.TestSupport;

namespace LstmWorkers.Core.Tests.Lstm;

/// <summary>The vectorized CPU runner against the plain reference on random models of awkward sizes.</summary>
public class CpuLstmRunnerTests
{
    [Theory]
    [InlineData(5, 7, 1, false, 0, true, 0)]
    [InlineData(17, 33, 2, true, 0, true, 0)]
    [InlineData(9, 130, 1, false, 0, false, 0)]
    [InlineData(6, 33, 3, true, 5, true, 0)]
    [InlineData(8, 7, 2, true, 3, false, 31)]
    public void Run_matches_the_reference_on_random_inputs(int input, int hidden, int layers, bool bidirectional, int proj, bool bias, int vocab)
    {
        var model = RandomModel(input, hidden, layers, bidirectional, proj, bias, vocab);
        var batch = RandomBatch(model, [9, 4, 4, 1, 1, 0], seed: hidden);

        var expected = LstmReference.Forward(model, batch);
        var actual = new CpuLstmRunner(model).Run(batch, CancellationToken.None);

        TensorAssert.Close(expected.Output!, actual.Output!, 2e-6, 1e-5, "output");
        TensorAssert.Close(expected.HiddenState, actual.HiddenState, 2e-6, 1e-5, "h_n");
        TensorAssert.Close(expected.CellState, actual.CellState, 2e-6, 1e-5, "c_n");
    }

    [Fact]
    public void Run_gives_a_sequence_the_same_bits_whatever_batch_it_is_in()
    {
        var model = RandomModel(8, 33, 2, bidirectional: true, proj: 0, bias: true, vocab: 40);
        var runner = new CpuLstmRunner(model);
        var alone = RandomBatch(model, [5], seed: 3);
        int[] sequence = alone.Tokens!;
        var others = RandomBatch(model, [7, 5, 2], seed: 4);
        var rows = new[] { Slice(others, 0), sequence, Slice(others, 1), Slice(others, 2) };
        var lengths = rows.Select(r => r.Length).ToArray();
        var packed = RnnUtils.PackSequences(rows.Select(r => new Tensors.Tensor<int>([r.Length], r)).ToList(), enforceSorted: false);
        var mixed = new LstmBatch(4, packed.BatchSizes, packed.Data.Data, null);

        var single = runner.Run(alone, CancellationToken.None);
        var together = runner.Run(mixed, CancellationToken.None);

        int position = Array.IndexOf(packed.SortedIndices!, 1);
        int width = 2 * 33;
        var steps = packed.StepOffsets();
        for (int t = 0; t < lengths[1]; t++)
        {
            Assert.Equal(single.Output!.AsSpan(t * width, width).ToArray(), together.Output!.AsSpan((steps[t] + position) * width, width).ToArray());
        }

        for (int k = 0; k < 4; k++)
        {
            Assert.Equal(single.HiddenState.AsSpan(k * 33, 33).ToArray(), together.HiddenState.AsSpan((k * 4 + position) * 33, 33).ToArray());
        }
    }

    private static int[] Slice(LstmBatch batch, int sequence)
    {
        var packed = new PackedSequence<int>(new Tensors.Tensor<int>([batch.Tokens!.Length], batch.Tokens), batch.BatchSizes, null, null, batch.BatchSize);
        var (padded, lengths) = RnnUtils.PadPacked(packed, batchFirst: true);
        return padded.Row(sequence)[..lengths[sequence]].ToArray();
    }

    private static LstmModel RandomModel(int input, int hidden, int layers, bool bidirectional, int proj, bool bias, int vocab) =>
        LstmModelReader.Read(SafeTensorsFile.Parse(
            SafeTensorsBuilder.RandomLstm(input, hidden, layers, bidirectional, proj, bias, vocab).ToBytes(), "random"));

    /// <summary>A sorted packed batch with the given (non-increasing) lengths and random tokens or features.</summary>
    private static LstmBatch RandomBatch(LstmModel model, int[] lengths, int seed)
    {
        var random = new Random(seed);
        var batchSizes = Enumerable.Range(0, lengths.Length == 0 ? 0 : lengths[0]).Select(t => lengths.Count(l => l > t)).ToArray();
        int steps = batchSizes.Sum();
        if (model.Config.HasEmbedding)
        {
            return new LstmBatch(lengths.Length, batchSizes, Enumerable.Range(0, steps).Select(_ => random.Next(model.Config.VocabSize)).ToArray(), null);
        }

        var features = Enumerable.Range(0, steps * model.Config.InputSize).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        return new LstmBatch(lengths.Length, batchSizes, null, features);
    }
}
