using LstmWorkers.Contracts.Batches;
using LstmWorkers.Contracts.Payloads;
using LstmWorkers.Coordinator.Dispatch;
using LstmWorkers.Core.Lstm;
using LstmWorkers.Core.Models;
using LstmWorkers.TestSupport;
using LstmWorkers.Worker;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LstmWorkers.Coordinator.Tests.Dispatch;

/// <summary>A batch that makes every worker throw: bounded retries, then the job's dispatch fails naming the rows.</summary>
public sealed class PoisonBatchTests : IDisposable
{
    private readonly string _modelPath = Path.Combine(Path.GetTempPath(), $"lstmw-poison-{Guid.NewGuid():N}.safetensors");

    public PoisonBatchTests() => SafeTensorsBuilder.RandomLstm(3, 5).WriteTo(_modelPath);

    [Fact]
    public async Task Dispatch_of_a_batch_that_always_throws_fails_after_the_worker_retries_naming_its_rows()
    {
        var services = DispatcherServices.Create();
        services.AddSingleton<ILstmBackend>(new ThrowingBackend());
        services.AddSingleton(new PayloadStore(null, 0));
        services.AddSingleton<ModelCache>();
        services.AddSingleton<BatchThreads>();
        services.AddSingleton<WorkerMetrics>();
        services.AddSingleton(Options.Create(new WorkerOptions { Concurrency = 1, DataRoots = [Path.GetTempPath()] }));
        services.AddMassTransitTestHarness(bus => bus.AddLstmWorkerConsumers());
        await using var provider = services.BuildServiceProvider(true);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        var batch = new EncodeBatch
        {
            ModelPath = _modelPath,
            ModelSha256 = LstmModel.Load(_modelPath).Sha256,
            Rows = [41, 7],
            BatchSizes = [2],
            Features = new Payload { Inline = new byte[2 * 3 * 4] },
        };

        var error = await Assert.ThrowsAsync<BatchFailedException>(
            () => provider.GetRequiredService<IBatchDispatcher>().DispatchAsync(batch, CancellationToken.None));

        Assert.Contains("rows 7, 41", error.Message);
        Assert.Contains("poisoned", error.Message);
        Assert.Equal(3, ThrowingBackend.Runs);
    }

    public void Dispose() => File.Delete(_modelPath);

    /// <summary>A backend whose every run throws, counting the attempts.</summary>
    private sealed class ThrowingBackend : ILstmBackend, ILstmRunner
    {
        public static int Runs;

        public string Device => "poisoned test device";

        public LstmModel Model => throw new NotSupportedException();

        public ILstmRunner Load(LstmModel model) => this;

        public LstmBatchResult Run(LstmBatch batch, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Runs);
            throw new InvalidOperationException("the device is poisoned");
        }

        public void Dispose()
        {
        }
    }
}
