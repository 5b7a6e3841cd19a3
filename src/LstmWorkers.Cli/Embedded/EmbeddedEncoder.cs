using System.Globalization;
using LstmWorkers.Coordinator;
using LstmWorkers.Coordinator.Jobs;
using LstmWorkers.Hosting;
using LstmWorkers.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LstmWorkers.Cli.Embedded;

/// <summary>
/// Runs a job embedded: coordinator and workers in one host over MassTransit's in-memory
/// transport — the same consumers and messages as a cluster, without a broker.
/// </summary>
public static class EmbeddedEncoder
{
    public static async Task<EncodeJobSummary> RunAsync(EncodeJobRequest request, string device, int? workers,
        IProgress<EncodeJobProgress> progress, CancellationToken cancellationToken)
    {
        var overrides = new Dictionary<string, string?> { [$"{WorkerOptions.SectionName}:Device"] = device };
        if (workers is { } count)
        {
            overrides[$"{WorkerOptions.SectionName}:Concurrency"] = count.ToString(CultureInfo.InvariantCulture);
        }

        using var host = CreateHost(overrides);
        await host.StartAsync(cancellationToken);
        try
        {
            return await host.Services.GetRequiredService<EncodeJob>().RunAsync(request, progress, cancellationToken);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static IHost CreateHost(Dictionary<string, string?> overrides)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddEnvironmentVariables("LSTMW_");
        builder.Configuration.AddInMemoryCollection(overrides);
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddLstmWorker();
        builder.Services.AddLstmCoordinator();
        builder.Services.AddLstmBus(bus =>
        {
            bus.AddLstmWorkerConsumers();
            bus.AddLstmCoordinatorClients();
        });
        return builder.Build();
    }
}
