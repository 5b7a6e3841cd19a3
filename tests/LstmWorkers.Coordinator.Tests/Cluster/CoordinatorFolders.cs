using LstmWorkers.Contracts.Payloads;
using LstmWorkers.Coordinator.Cluster;
using LstmWorkers.TestSupport;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LstmWorkers.Coordinator.Tests.Cluster;

/// <summary>What a cluster coordinator's classes need in a test: a data root holding the e2e fixture's input
/// (<c>in.parquet</c>) and model (<c>model.safetensors</c>), a state directory outside it, in-process payloads and an
/// in-memory bus. Removed on dispose.</summary>
internal sealed class CoordinatorFolders : IAsyncDisposable
{
    private readonly ServiceProvider _provider = new ServiceCollection().AddMassTransitTestHarness().BuildServiceProvider(true);

    public CoordinatorFolders()
    {
        File.Copy(Fixtures.PathOf("datasets/e2e_tokens.duckdb.parquet"), Path.Combine(Root, "in.parquet"));
        File.Copy(Fixtures.PathOf("models/e2e_tokens.safetensors"), Path.Combine(Root, "model.safetensors"));
    }

    public string Root { get; } = Directory.CreateTempSubdirectory("lstmw-coordinator-").FullName;

    public string State { get; } = Directory.CreateTempSubdirectory("lstmw-coordinator-state-").FullName;

    public PayloadStore Payloads { get; } = PayloadStore.InProcess();

    /// <summary>A job store on <see cref="State"/>; two of them are two coordinators sharing it.</summary>
    public JobStore NewStore() => new(Options.Create(new CoordinatorOptions { StateDirectory = State }), new LogCollector<JobStore>());

    public async Task<ITestHarness> StartHarnessAsync()
    {
        var harness = _provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        return harness;
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        Directory.Delete(Root, recursive: true);
        Directory.Delete(State, recursive: true);
    }
}
