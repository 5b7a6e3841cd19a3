using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace LstmWorkers.Hosting;

public static class OperationsServiceCollectionExtensions
{
    /// <summary>Every meter of this product (<c>LstmWorkers.Worker</c>, <c>LstmWorkers.Coordinator</c>).</summary>
    public const string MeterNames = "LstmWorkers.*";

    /// <summary>
    /// Health checks with the HTTP endpoint of <see cref="HealthEndpoint"/>, and OpenTelemetry metrics
    /// (ours and MassTransit's), exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
    /// </summary>
    public static IServiceCollection AddLstmOperations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OperationsOptions>().BindConfiguration(OperationsOptions.SectionName);
        services.AddHealthChecks();
        services.AddHostedService<HealthEndpoint>();
        var metrics = services.AddOpenTelemetry().WithMetrics(meters => meters.AddMeter(MeterNames, "MassTransit"));
        if (!string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            metrics.WithMetrics(meters => meters.AddOtlpExporter());
        }

        return services;
    }
}
