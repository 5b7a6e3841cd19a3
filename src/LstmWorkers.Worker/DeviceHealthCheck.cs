using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LstmWorkers.Worker;

/// <summary>Ready once the worker's device is open (a named device that is absent stops the worker at start instead).</summary>
public sealed class DeviceHealthCheck(ModelCache models) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(HealthCheckResult.Healthy(models.Device));
}
