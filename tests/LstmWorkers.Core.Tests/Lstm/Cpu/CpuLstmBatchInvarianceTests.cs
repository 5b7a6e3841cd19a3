using LstmWorkers.Core.Lstm;
using LstmWorkers.Core.Lstm.Cpu;
using LstmWorkers.Core.Models;
using static LstmWorkers.Core.Tests.Lstm.Cpu.CpuTestData;

namespace LstmWorkers.Core.Tests.Lstm.Cpu;

/// <summary>
/// Bitwise batch invariance: a sequence's output, h_n, c_n and pooled vectors are the same bits whatever batch it
/// is in (its neighbours, their number and lengths, its position), whatever the chunking, token
/// table, threads per run, concurrent runs or vector width.
/// </summary>
public class CpuLstmBatchInvarianceTests
{
    public static TheoryData<string> Settings() => ["default", "one thread per run", "chunks of 3 rows", "no token table", "512-bit kernels"];

    private static CpuLstmOptions Options(string setting) => setting switch
    {
        "one thread per run" => new CpuLstmOptions { MaxThreadsPerRun = 1 },
        "chunks of 3 rows" => new CpuLstmOptions { ChunkRows = 3 },
        "no token table" => new CpuLstmOptions { InputTableBudgetBytes = 0 },
        "512-bit kernels" => new CpuLstmOptions { VectorWidth = CpuVectorWidth.Bits512 },
        _ => new CpuLstmOptions { VectorWidth = CpuVectorWidth.Bits256 },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void A_token_sequence_gets_the_same_bits_in_any_batch(string setting)
    {
        var model = RandomModel(8, 33, 2, bidirectional: true, proj: 0, bias: true, vocab: 40);
        var random = new Random(11);
        var sequence = RandomTokens(model, 6, random);
        var others = Enumerable.Range(0, 20).Select(i => RandomTokens(model, 1 + i * 7 % 11, random)).ToList();

        AssertSameBitsEverywhere(model, sequence, others, setting);
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void A_feature_sequence_through_a_projection_gets_the_same_bits_in_any_batch(string setting)
    {
        var model = RandomModel(5, 20, 2, bidirectional: true, proj: 6, bias: true, vocab: 0);
        var random = new Random(12);
        var sequence = RandomFeatures(model, 6, random);
        var others = Enumerable.Range(0, 20).Select(i => RandomFeatures(model, 1 + i * 5 % 9, random)).ToList();

        AssertSameBitsEverywhere(model, sequence, others, setting);
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void A_sequence_with_wide_inputs_gets_the_same_bits_in_any_batch(string setting)
    {
        // 300 features: the input GEMM's K is split into blocks of 256.
        var model = RandomModel(300, 8, 1, bidirectional: true, proj: 0, bias: true, vocab: 0);
        var random = new Random(14);
        var sequence = RandomFeatures(model, 4, random);
        var others = Enumerable.Range(0, 20).Select(i => RandomFeatures(model, 1 + i % 6, random)).ToList();

        AssertSameBitsEverywhere(model, sequence, others, setting);
    }

    [Fact]
    public void Concurrent_runs_on_one_backend_give_the_bits_of_sequential_runs()
    {
        var model = RandomModel(8, 24, 2, bidirectional: true, proj: 0, bias: true, vocab: 30);
        var runner = new CpuLstmBackend(new CpuLstmOptions { Cores = 3 }).Load(model);
        var random = new Random(13);
        var batches = Enumerable.Range(0, 12)
            .Select(b => Pack(model, Enumerable.Range(0, 1 + b % 5).Select(i => RandomTokens(model, 1 + (b + i) % 9, random)).ToList()).Batch)
            .ToList();
        var sequential = batches.Select(b => runner.Run(b, CancellationToken.None)).ToList();

        var concurrent = new LstmBatchResult[batches.Count];
        Parallel.For(0, batches.Count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => concurrent[i] = runner.Run(batches[i], CancellationToken.None));

        for (int i = 0; i < batches.Count; i++)
        {
            Assert.Equal(sequential[i].Output, concurrent[i].Output);
            Assert.Equal(sequential[i].HiddenState, concurrent[i].HiddenState);
            Assert.Equal(sequential[i].CellState, concurrent[i].CellState);
        }
    }

    private const LstmPooling Pooled = LstmPooling.Mean | LstmPooling.Max;

    /// <summary>The sequence alone under the default settings is the reference; then, under <paramref name="setting"/>,
    /// alone and among 1, 3 and 20 others at different positions, its bits must not change.</summary>
    private static void AssertSameBitsEverywhere<T>(LstmModel model, T[] sequence, List<T[]> others, string setting)
    {
        var config = model.Config;
        int width = config.NumDirections * config.OutputSize;
        var (alone, _) = Pack(model, [sequence]);
        var expected = new CpuLstmRunner(model, Options("default")).Run(alone with { Pooling = Pooled }, CancellationToken.None);
        var runner = new CpuLstmRunner(model, Options(setting));

        foreach (var (count, at) in new[] { (0, 0), (1, 1), (3, 2), (20, 0), (20, 13), (20, 20) })
        {
            var members = others.Take(count).ToList();
            members.Insert(at, sequence);
            var (batch, position) = Pack(model, members);

            var actual = runner.Run(batch with { Pooling = Pooled }, CancellationToken.None);
            var pooledOnly = runner.Run(batch with { NeedOutput = false, Pooling = Pooled }, CancellationToken.None);

            string where = $"{setting}, among {count} others at {at}";
            Assert.True(expected.Output!.AsSpan().SequenceEqual(OutputOf(batch, actual.Output!, position[at], width)), $"output differs: {where}");
            Assert.True(expected.HiddenState.AsSpan().SequenceEqual(StateOf(actual.HiddenState, batch.BatchSize, position[at], config.OutputSize)), $"h_n differs: {where}");
            Assert.True(expected.CellState.AsSpan().SequenceEqual(StateOf(actual.CellState, batch.BatchSize, position[at], config.HiddenSize)), $"c_n differs: {where}");
            foreach (var result in new[] { actual, pooledOnly })
            {
                Assert.True(expected.PooledMean.AsSpan().SequenceEqual(result.PooledMean.AsSpan(position[at] * width, width)), $"pooled_mean differs: {where}");
                Assert.True(expected.PooledMax.AsSpan().SequenceEqual(result.PooledMax.AsSpan(position[at] * width, width)), $"pooled_max differs: {where}");
            }

            Assert.Null(pooledOnly.Output);
        }
    }
}
