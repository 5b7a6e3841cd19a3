using LstmWorkers.Core.Lstm;
using LstmWorkers.Core.Lstm.Cpu;
using LstmWorkers.Core.Tests.Lstm.Cpu;
using LstmWorkers.TestSupport;
using static LstmWorkers.Core.Tests.Lstm.Cpu.CpuTestData;

namespace LstmWorkers.Core.Tests.Lstm;

/// <summary>The fast CPU runner against the plain reference on random models of awkward sizes, at both vector widths.</summary>
public class CpuLstmRunnerTests
{
    // Rational tanh/σ (≤ 3.5e-7 absolute each) through a few steps and layers: well inside 2e-6 + 1e-5 relative.
    private const double Atol = 2e-6;
    private const double Rtol = 1e-5;

    [Theory]
    [InlineData(5, 7, 1, false, 0, true, 0, CpuVectorWidth.Bits256)]
    [InlineData(17, 33, 2, true, 0, true, 0, CpuVectorWidth.Bits256)]
    [InlineData(9, 130, 1, false, 0, false, 0, CpuVectorWidth.Bits256)]
    [InlineData(6, 33, 3, true, 5, true, 0, CpuVectorWidth.Bits256)]
    [InlineData(8, 7, 2, true, 3, false, 31, CpuVectorWidth.Bits256)]
    [InlineData(16, 24, 2, true, 0, true, 50, CpuVectorWidth.Bits256)]
    [InlineData(300, 20, 2, true, 0, true, 0, CpuVectorWidth.Bits256)]
    [InlineData(17, 33, 2, true, 0, true, 0, CpuVectorWidth.Bits512)]
    [InlineData(300, 20, 1, false, 0, true, 7, CpuVectorWidth.Bits512)]
    [InlineData(6, 33, 3, true, 5, true, 0, CpuVectorWidth.Bits512)]
    [InlineData(8, 7, 2, true, 3, false, 31, CpuVectorWidth.Bits512)]
    public void Run_matches_the_reference_on_random_inputs(int input, int hidden, int layers, bool bidirectional, int proj, bool bias, int vocab,
        CpuVectorWidth width)
    {
        var model = RandomModel(input, hidden, layers, bidirectional, proj, bias, vocab);
        var batch = RandomBatch(model, [9, 4, 4, 1, 1, 0], seed: hidden);

        var expected = LstmReference.Forward(model, batch);
        var actual = new CpuLstmRunner(model, new CpuLstmOptions { VectorWidth = width }).Run(batch, CancellationToken.None);

        TensorAssert.Close(expected.Output!, actual.Output!, Atol, Rtol, "output");
        TensorAssert.Close(expected.HiddenState, actual.HiddenState, Atol, Rtol, "h_n");
        TensorAssert.Close(expected.CellState, actual.CellState, Atol, Rtol, "c_n");
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 0)]
    [InlineData(true, 4)]
    public void Run_with_an_initial_state_and_empty_sequences_matches_the_reference(bool bidirectional, int proj)
    {
        var model = RandomModel(6, 12, 2, bidirectional, proj, bias: true, vocab: 0);
        var batch = RandomBatch(model, [6, 6, 3, 0, 0], seed: 2) with { Initial = RandomState(model, 5, new Random(3)) };

        var expected = LstmReference.Forward(model, batch);
        var actual = new CpuLstmRunner(model).Run(batch, CancellationToken.None);

        TensorAssert.Close(expected.Output!, actual.Output!, Atol, Rtol, "output");
        TensorAssert.Close(expected.HiddenState, actual.HiddenState, Atol, Rtol, "h_n");
        TensorAssert.Close(expected.CellState, actual.CellState, Atol, Rtol, "c_n");
    }

    [Fact]
    public void Run_over_long_sequences_in_small_chunks_matches_the_reference()
    {
        var model = RandomModel(5, 16, 1, bidirectional: true, proj: 0, bias: true, vocab: 0);
        var batch = RandomBatch(model, [40, 33, 20, 20, 2], seed: 4);

        var expected = LstmReference.Forward(model, batch);
        var actual = new CpuLstmRunner(model, new CpuLstmOptions { ChunkRows = 7 }).Run(batch, CancellationToken.None);

        TensorAssert.Close(expected.Output!, actual.Output!, 1e-5, Rtol, "output");
        TensorAssert.Close(expected.HiddenState, actual.HiddenState, 1e-5, Rtol, "h_n");
    }

    [Fact]
    public void Run_without_output_returns_the_same_final_state()
    {
        var model = RandomModel(8, 16, 2, bidirectional: true, proj: 0, bias: true, vocab: 20);
        var batch = RandomBatch(model, [7, 5, 5, 1], seed: 5);
        var runner = new CpuLstmRunner(model);

        var full = runner.Run(batch, CancellationToken.None);
        var states = runner.Run(batch with { NeedOutput = false }, CancellationToken.None);

        Assert.Null(states.Output);
        Assert.Equal(full.HiddenState, states.HiddenState);
        Assert.Equal(full.CellState, states.CellState);
    }

    [Fact]
    public void Run_rejects_a_token_outside_the_vocabulary()
    {
        var model = RandomModel(4, 8, 1, bidirectional: false, proj: 0, bias: true, vocab: 10);
        var batch = new LstmBatch(1, [1, 1], [3, 10], null);

        var error = Assert.Throws<ArgumentException>(() => new CpuLstmRunner(model).Run(batch, CancellationToken.None));

        Assert.Contains("token id 10 is outside [0, 10)", error.Message);
    }

    [Theory]
    [InlineData(new[] { 3, 1 }, 2)]
    [InlineData(new[] { 1, 2 }, 2)]
    [InlineData(new[] { 2, 0 }, 2)]
    public void Run_rejects_batch_sizes_that_are_not_sorted_and_bounded(int[] batchSizes, int batchSize)
    {
        var model = RandomModel(4, 8, 1, bidirectional: false, proj: 0, bias: true, vocab: 0);
        var batch = new LstmBatch(batchSize, batchSizes, null, new float[batchSizes.Sum() * 4]);

        var error = Assert.Throws<ArgumentException>(() => new CpuLstmRunner(model).Run(batch, CancellationToken.None));

        Assert.Contains("batch_sizes[", error.Message);
    }

    [Fact]
    public void Run_with_a_cancelled_token_throws()
    {
        var model = RandomModel(4, 8, 1, bidirectional: true, proj: 0, bias: true, vocab: 0);
        var batch = RandomBatch(model, [3, 2], seed: 6);

        Assert.ThrowsAny<OperationCanceledException>(() => new CpuLstmRunner(model).Run(batch, new CancellationToken(canceled: true)));
    }

    [Fact]
    public void Backend_loads_the_fast_runner_and_names_its_kernels()
    {
        var model = RandomModel(4, 8, 1, bidirectional: false, proj: 0, bias: true, vocab: 0);
        var backend = new CpuLstmBackend();

        Assert.IsType<CpuLstmRunner>(backend.Load(model));
        Assert.Matches(@"^cpu \(\d+ cores, (AVX-512|AVX2\+FMA|256-bit)", backend.Device);
    }

    /// <summary>A sorted packed batch with the given (non-increasing) lengths and random tokens or features.</summary>
    internal static LstmBatch RandomBatch(Core.Models.LstmModel model, int[] lengths, int seed)
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
