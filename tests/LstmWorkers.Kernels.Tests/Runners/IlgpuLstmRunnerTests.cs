using LstmWorkers.Core.Lstm;
using LstmWorkers.Core.Models;
using LstmWorkers.Core.Packing;
using LstmWorkers.TestSupport;

namespace LstmWorkers.Kernels.Tests.Runners;

/// <summary>
/// The whole ILGPU backend: against <see cref="LstmReference"/> on random models of awkward sizes,
/// and against PyTorch's float64 results on every fixture case (1e-5 absolute + 1e-5 relative,
/// as the CPU runners). Subclasses pick the device.
/// </summary>
public abstract class IlgpuLstmRunnerTests(DeviceFixture fixture)
{
    private const double Atol = 1e-5;
    private const double Rtol = 1e-5;

    /// <summary>input, hidden, layers, bidirectional, proj, bias, vocab, lengths, initial state.</summary>
    public static TheoryData<int, int, int, bool, int, bool, int, int[], bool> RandomCases() => new()
    {
        { 5, 7, 1, false, 0, true, 0, [9, 4, 4, 1, 1, 0], false },
        { 17, 33, 2, true, 0, true, 0, [6, 5, 1, 0], true },
        { 9, 130, 1, false, 0, false, 0, [3, 2, 1], false },
        { 6, 33, 3, true, 5, true, 0, [5, 4, 4, 1, 0, 0], true },
        { 8, 7, 2, true, 3, false, 31, [7, 2, 1, 1], false },
        { 4, 7, 1, true, 0, true, 0, [0, 0], true },
    };

    public static TheoryData<string> FixtureCases()
    {
        var data = new TheoryData<string>();
        foreach (string name in Fixtures.Names("cases"))
        {
            data.Add(name);
        }

        return data;
    }

    protected void Run_matches_the_reference(int input, int hidden, int layers, bool bidirectional, int proj, bool bias, int vocab,
        int[] lengths, bool initialState)
    {
        var model = TestData.Model(input, hidden, layers, bidirectional, proj, bias, vocab, seed: hidden + layers);
        var batch = TestData.Batch(model, lengths, seed: input, initialState);

        var expected = LstmReference.Forward(model, batch);
        using var runner = fixture.Backend.Load(model);
        var actual = runner.Run(batch, CancellationToken.None);

        TensorAssert.Close(expected.Output!, actual.Output!, Atol, Rtol, "output");
        TensorAssert.Close(expected.HiddenState, actual.HiddenState, Atol, Rtol, "h_n");
        TensorAssert.Close(expected.CellState, actual.CellState, Atol, Rtol, "c_n");
    }

    protected void Run_twice_with_different_batches_reuses_buffers_correctly()
    {
        var model = TestData.Model(5, 7, 2, bidirectional: true, proj: 0, bias: true, vocab: 0);
        using var runner = fixture.Backend.Load(model);
        foreach (var (lengths, seed) in new[] { (new[] { 8, 8, 7, 3 }, 1), (new[] { 2, 1 }, 2), (new[] { 5, 5, 5, 5, 5 }, 3) })
        {
            var batch = TestData.Batch(model, lengths, seed);
            var expected = LstmReference.Forward(model, batch);

            var actual = runner.Run(batch, CancellationToken.None);

            TensorAssert.Close(expected.Output!, actual.Output!, Atol, Rtol, $"output of batch {seed}");
            TensorAssert.Close(expected.HiddenState, actual.HiddenState, Atol, Rtol, $"h_n of batch {seed}");
        }
    }

    protected void Forward_on_a_fixture_matches_pytorch(string name)
    {
        var (model, file, _, state, packed) = FixtureCase.Load(name);
        using var runner = fixture.Backend.Load(StripEmbedding(model));

        var (output, final) = new LstmModule(runner).Forward(packed, state);

        TensorAssert.Close(file.ReadFloat64("packed_output").Data, output.Data.Data, Atol, Rtol, $"{name} packed output");
        TensorAssert.Close(file.ReadFloat64("h_n").Data, final.H.Data, Atol, Rtol, $"{name} h_n");
        TensorAssert.Close(file.ReadFloat64("c_n").Data, final.C.Data, Atol, Rtol, $"{name} c_n");
    }

    protected void Pooled_vectors_of_a_fixture_match_pytorch(string name)
    {
        var lstmCase = FixtureCase.Load(name);
        var (model, file, _, _, packed) = lstmCase;
        var batch = lstmCase.Batch(needOutput: false, LstmPooling.Mean | LstmPooling.Max);
        using var runner = fixture.Backend.Load(StripEmbedding(model));

        var result = runner.Run(batch, CancellationToken.None);

        int width = model.Config.NumDirections * model.Config.OutputSize;
        Assert.Null(result.Output);
        TensorAssert.Close(CallerRows(file.ReadFloat64("pooled_mean").Data, packed.SortedIndices!, width), result.PooledMean!, Atol, Rtol, $"{name} pooled_mean");
        TensorAssert.Close(CallerRows(file.ReadFloat64("pooled_max").Data, packed.SortedIndices!, width), result.PooledMax!, Atol, Rtol, $"{name} pooled_max");
    }

    protected void Tokens_are_embedded_on_the_device_as_on_the_host()
    {
        var entry = Fixtures.Entry("cases", "lstm_tokens_embedding");
        var model = LstmModel.Load(Fixtures.PathOf(entry.GetProperty("model_file").GetString()!));
        var file = Fixtures.Open(entry.GetProperty("case_file").GetString()!);
        var tokens = file.ReadInt64("tokens");
        var lengths = Array.ConvertAll(file.ReadInt64("lengths").Data, v => (int)v);
        var packed = RnnUtils.Pack(new Core.Tensors.Tensor<int>(tokens.Shape, Array.ConvertAll(tokens.Data, v => (int)v)), lengths,
            batchFirst: true, enforceSorted: false);
        var batch = new LstmBatch(lengths.Length, packed.BatchSizes, packed.Data.Data, null);
        using var runner = fixture.Backend.Load(model);

        var result = runner.Run(batch, CancellationToken.None);

        var expected = file.ReadFloat64("packed_output").Data;
        TensorAssert.Close(expected, result.Output!, Atol, Rtol, "packed output from tokens");
    }

    /// <summary>Batches every runner must refuse: unsorted, a token outside the vocabulary, too few or too many token ids.</summary>
    public static TheoryData<int[], int[]> BadBatches() => new()
    {
        { new[] { 1, 2 }, new[] { 0, 1, 2 } },
        { new[] { 2, 1 }, new[] { 0, 31, 2 } },
        { new[] { 2, 1 }, new[] { 0, 1 } },
        { new[] { 2, 1 }, new[] { 0, 1, 2, 3 } },
    };

    protected void A_bad_batch_is_refused_as_the_cpu_runner_refuses_it(int[] batchSizes, int[] tokens)
    {
        var model = TestData.Model(8, 7, 2, bidirectional: true, proj: 3, bias: false, vocab: 31);
        var batch = new LstmBatch(2, batchSizes, tokens, null);
        using var cpu = new Core.Lstm.Cpu.CpuLstmRunner(model);
        using var device = fixture.Backend.Load(model);

        var expected = Assert.Throws<ArgumentException>(() => cpu.Run(batch, CancellationToken.None));
        var actual = Assert.Throws<ArgumentException>(() => device.Run(batch, CancellationToken.None));

        Assert.Equal(expected.Message, actual.Message);
    }

    /// <summary>Rows [B, width] in the caller's order, taken in the batch's sorted order (sorted position j is caller row sorted[j]).</summary>
    private static double[] CallerRows(double[] rows, int[] sorted, int width) =>
        [.. sorted.SelectMany(row => rows.AsSpan(row * width, width).ToArray())];

    /// <summary>The fixtures feed embedded features through <see cref="LstmModule"/>, so the runner must take features.</summary>
    private static LstmModel StripEmbedding(LstmModel model) => model.Embedding is null
        ? model
        : new LstmModel(model.Config with { VocabSize = 0 },
            Enumerable.Range(0, model.Config.NumLayers * model.Config.NumDirections)
                .Select(k => model.Weights(k / model.Config.NumDirections, k % model.Config.NumDirections)).ToArray(),
            null, model.Sha256);
}
