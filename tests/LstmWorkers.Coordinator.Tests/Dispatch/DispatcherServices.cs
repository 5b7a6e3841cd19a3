using LstmWorkers.Coordinator.Dispatch;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LstmWorkers.Coordinator.Tests.Dispatch;

/// <summary>What a <see cref="RequestClientBatchDispatcher"/> needs, for a test to add its bus (and workers) to.</summary>
internal static class DispatcherServices
{
    public static ServiceCollection Create()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<DispatchMetrics>();
        services.AddSingleton(Options.Create(new CoordinatorOptions { BatchTimeout = TimeSpan.FromSeconds(30) }));
        services.AddSingleton<IBatchDispatcher, RequestClientBatchDispatcher>();
        return services;
    }
}
