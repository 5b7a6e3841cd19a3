using LstmWorkers.Core.Lstm;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LstmWorkers.Worker;

/// <summary>Opens the worker's device when the host starts, so a missing device stops the worker at once
/// with its reason instead of failing the first batch.</summary>
public sealed class WorkerDeviceCheck(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        services.GetRequiredService<ILstmBackend>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
