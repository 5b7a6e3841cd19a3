using LstmWorkers.Contracts.Payloads;
using LstmWorkers.Coordinator.Jobs;
using LstmWorkers.Data.Output;
using Microsoft.Extensions.Options;

namespace LstmWorkers.Coordinator.Tests.Jobs;

/// <summary>Contract §7's output forms through a whole job: a ragged <c>output</c> and pooled vectors need no first pass
/// for T, and ragged windows cut by steps hold the same rows.</summary>
public sealed class EncodeJobFormsTests : IDisposable
{
    private readonly JobFixture _fixture = new();
    private readonly PayloadStore _payloads = new(null, 0);

    public void Dispose() => _fixture.Dispose();

    [Theory]
    [InlineData("output", OutputLayout.Padded, true)]
    [InlineData("output,h_n", OutputLayout.Ragged, false)]
    [InlineData("pooled_mean,pooled_max", OutputLayout.Padded, false)]
    public async Task Only_a_padded_output_without_a_total_length_reads_the_input_twice(string outputs, OutputLayout layout, bool scans)
    {
        var log = new LogCollector<EncodeJob>();
        var job = new EncodeJob(new ReferenceDispatcher(_payloads), _payloads, Options.Create(new CoordinatorOptions { MaxBatchRows = 4 }), log);
        var request = _fixture.Request with { Outputs = OutputSelections.Parse(outputs), OutputLayout = layout };

        var summary = await job.RunAsync(Guid.NewGuid(), request, new FileOutput(_fixture.OutputPath), null, CancellationToken.None);

        Assert.Equal(scans, log.Entries.Any(e => e.Message.StartsWith("Scanned the input", StringComparison.Ordinal)));
        Assert.Equal(11, summary.TotalLength);
    }

    [Fact]
    public async Task Ragged_windows_cut_by_steps_hold_the_rows_one_window_holds()
    {
        var request = _fixture.Request with { Outputs = OutputSelection.Output | OutputSelection.PooledMax, OutputLayout = OutputLayout.Ragged };
        await RunAsync(new CoordinatorOptions { MaxBatchRows = 4 }, request);
        var whole = await ReadAsync(_fixture.OutputPath);

        await RunAsync(new CoordinatorOptions { MaxBatchRows = 4, WindowBytes = 4 * 12 * 20 }, request); // 20 steps of D·H_out = 12

        var cut = await ReadAsync(_fixture.OutputPath);
        Assert.Single(whole);
        Assert.True(cut.Count > 5, $"{cut.Count} windows");
        Assert.All(cut, chunk => Assert.True(chunk.Lengths.Length == 1 || chunk.Lengths.Sum() <= 20, string.Join(",", chunk.Lengths)));
        Assert.Equal(whole.SelectMany(c => c.Lengths), cut.SelectMany(c => c.Lengths));
        Assert.Equal(whole.SelectMany(c => c.Output!), cut.SelectMany(c => c.Output!));
        Assert.Equal(whole.SelectMany(c => c.PooledMax!), cut.SelectMany(c => c.PooledMax!));
    }

    private Task RunAsync(CoordinatorOptions options, EncodeJobRequest request) =>
        new EncodeJob(new ReferenceDispatcher(_payloads), _payloads, Options.Create(options), new LogCollector<EncodeJob>())
            .RunAsync(Guid.NewGuid(), request, new FileOutput(_fixture.OutputPath), null, CancellationToken.None);

    private static async Task<List<EncodedChunk>> ReadAsync(string path)
    {
        var chunks = new List<EncodedChunk>();
        await foreach (var chunk in EncodingReader.ReadAsync(path))
        {
            chunks.Add(chunk);
        }

        return chunks;
    }
}
