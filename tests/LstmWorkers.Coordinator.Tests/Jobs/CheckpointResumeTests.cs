using LstmWorkers.Contracts.Payloads;
using LstmWorkers.Coordinator.Dispatch;
using LstmWorkers.Coordinator.Jobs;
using LstmWorkers.Core.Models;
using LstmWorkers.TestSupport;

namespace LstmWorkers.Coordinator.Tests.Jobs;

/// <summary>
/// A job rerun over its checkpoint directory (as a restarted coordinator does) reuses only the windows made from the same
/// inputs, model and settings, with the same rows, and writes what a run without checkpoints writes. The fixture's 37
/// rows; the first run loses every window from the third on.
/// </summary>
public sealed class CheckpointResumeTests : IDisposable
{
    private readonly JobFixture _fixture = new();
    private readonly PayloadStore _payloads = PayloadStore.InProcess();

    private string Checkpoints => Path.Combine(Path.GetDirectoryName(_fixture.OutputPath)!, "checkpoints");

    [Fact]
    public async Task A_rerun_with_other_window_sizes_redoes_the_windows_instead_of_taking_them_by_index()
    {
        await InterruptedRunAsync(windowRows: 4, _fixture.Request);

        await JobFixture.Job(new ReferenceDispatcher(_payloads), _payloads, windowRows: 6)
            .RunAsync(Guid.NewGuid(), _fixture.Request, Checkpointed(_fixture.Request), null, CancellationToken.None);

        Assert.Equal(await DirectRunAsync(windowRows: 6, _fixture.Request), File.ReadAllBytes(_fixture.OutputPath));
    }

    [Fact]
    public async Task A_rerun_with_the_same_settings_reuses_the_finished_windows()
    {
        await InterruptedRunAsync(windowRows: 4, _fixture.Request);
        var dispatcher = new ReferenceDispatcher(_payloads);

        await JobFixture.Job(dispatcher, _payloads, windowRows: 4).RunAsync(Guid.NewGuid(), _fixture.Request, Checkpointed(_fixture.Request), null, CancellationToken.None);

        var direct = new ReferenceDispatcher(_payloads);
        Assert.Equal(await DirectRunAsync(windowRows: 4, _fixture.Request, direct), File.ReadAllBytes(_fixture.OutputPath));
        Assert.InRange(dispatcher.Sent, 1, direct.Sent - 1);
    }

    [Fact]
    public async Task A_rerun_with_another_model_of_the_same_shape_redoes_every_window()
    {
        await InterruptedRunAsync(windowRows: 4, _fixture.Request);
        var config = LstmModel.Load(_fixture.ModelPath).Config;
        string other = SafeTensorsBuilder.RandomLstm(config.InputSize, config.HiddenSize, config.NumLayers, config.NumDirections == 2,
            vocab: config.VocabSize, seed: 7).WriteTo(Path.Combine(Path.GetDirectoryName(_fixture.OutputPath)!, "other.safetensors"));
        var request = _fixture.Request with { ModelPath = other };

        await JobFixture.Job(new ReferenceDispatcher(_payloads), _payloads, windowRows: 4).RunAsync(Guid.NewGuid(), request, Checkpointed(request), null, CancellationToken.None);

        Assert.Equal(await DirectRunAsync(windowRows: 4, request), File.ReadAllBytes(_fixture.OutputPath));
    }

    [Theory]
    [InlineData("padding")]
    [InlineData("truncate")]
    [InlineData("outputs")]
    [InlineData("layout")]
    public async Task A_rerun_with_another_setting_that_changes_bytes_redoes_every_window(string setting)
    {
        var first = _fixture.Request with { TotalLength = 11, Outputs = setting == "outputs" ? OutputSelection.HiddenState : OutputSelection.Default };
        await InterruptedRunAsync(windowRows: 4, first);
        var request = setting switch
        {
            "padding" => first with { PaddingValue = -1 },
            "truncate" => first with { TotalLength = 5, Truncate = true },
            "layout" => first with { OutputLayout = Data.Output.OutputLayout.Ragged },
            _ => first with { Outputs = OutputSelection.HiddenState | OutputSelection.CellState },
        };

        await JobFixture.Job(new ReferenceDispatcher(_payloads), _payloads, windowRows: 4).RunAsync(Guid.NewGuid(), request, Checkpointed(request), null, CancellationToken.None);

        Assert.Equal(await DirectRunAsync(windowRows: 4, request), File.ReadAllBytes(_fixture.OutputPath));
    }

    [Fact]
    public async Task A_rerun_after_an_input_file_changed_redoes_every_window()
    {
        string input = Path.Combine(Directory.CreateDirectory(Path.GetDirectoryName(_fixture.OutputPath)!).FullName, "input.parquet");
        File.Copy(_fixture.Request.Input, input);
        var request = _fixture.Request with { Input = input };
        await InterruptedRunAsync(windowRows: 4, request);
        File.SetLastWriteTimeUtc(input, File.GetLastWriteTimeUtc(input).AddSeconds(1));
        var dispatcher = new ReferenceDispatcher(_payloads);

        await JobFixture.Job(dispatcher, _payloads, windowRows: 4).RunAsync(Guid.NewGuid(), request, Checkpointed(request), null, CancellationToken.None);

        var direct = new ReferenceDispatcher(_payloads);
        await DirectRunAsync(windowRows: 4, request, direct);
        Assert.Equal(direct.Sent, dispatcher.Sent);
    }

    public void Dispose() => _fixture.Dispose();

    private CheckpointedFileOutput Checkpointed(EncodeJobRequest request) => new(request.OutputPath, Checkpoints);

    /// <summary>Runs the job over the checkpoint directory until its third window fails: the first windows are kept there.</summary>
    private async Task InterruptedRunAsync(int windowRows, EncodeJobRequest request)
    {
        var job = JobFixture.Job(new ReferenceDispatcher(_payloads, fails: window => window >= 2), _payloads, windowRows);

        await Assert.ThrowsAsync<BatchFailedException>(() => job.RunAsync(Guid.NewGuid(), request, Checkpointed(request), null, CancellationToken.None));

        Assert.NotEmpty(Directory.EnumerateFiles(Checkpoints, "*.parquet"));
    }

    /// <summary>The bytes a run without checkpoints writes.</summary>
    private async Task<byte[]> DirectRunAsync(int windowRows, EncodeJobRequest request, ReferenceDispatcher? dispatcher = null)
    {
        var direct = request with { OutputPath = _fixture.OutputPath + ".direct.parquet" };
        await JobFixture.Job(dispatcher ?? new ReferenceDispatcher(_payloads), _payloads, windowRows).RunAsync(Guid.NewGuid(), direct, new FileOutput(direct.OutputPath), null, CancellationToken.None);
        return File.ReadAllBytes(direct.OutputPath);
    }
}
