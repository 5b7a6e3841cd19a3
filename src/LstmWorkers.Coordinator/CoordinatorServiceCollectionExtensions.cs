using LstmWorkers.Contracts.Payloads;
using LstmWorkers.Coordinator.Cluster;
using LstmWorkers.Coordinator.Dispatch;
using LstmWorkers.Coordinator.Jobs;
using LstmWorkers.Core.Files;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LstmWorkers.Coordinator;

public static class CoordinatorServiceCollectionExtensions
{
    /// <summary>Registers the coordinator's services; the bus itself is configured by the host.</summary>
    public static IServiceCollection AddLstmCoordinator(this IServiceCollection services)
    {
        services.AddOptions<CoordinatorOptions>().BindConfiguration(CoordinatorOptions.SectionName)
            .Validate(o => o.MaxBatchRows > 0 && o.MaxBatchTokens > 0 && o.MaxBatchBytes > 0 && o.WindowRows > 0 && o.WindowBytes > 0 && o.WindowsInFlight > 0,
                "Coordinator batch and window limits must be positive")
            .Validate(o => o.BatchAttempts > 0 && (o.BatchTimeout > TimeSpan.Zero || o.BatchTimeout == Timeout.InfiniteTimeSpan),
                "Coordinator:BatchAttempts and BatchTimeout must be positive")
            .Validate(o => o.StatusReportFinishedJobs >= 0, "Coordinator:StatusReportFinishedJobs must be 0 or more")
            .ValidateOnStart();
        services.AddOptions<PayloadOptions>().BindConfiguration(PayloadOptions.SectionName);
        services.TryAddSingleton(provider => provider.GetRequiredService<IOptions<PayloadOptions>>().Value.CreateStore());
        services.AddSingleton<DispatchMetrics>();
        services.AddSingleton<IBatchDispatcher, RequestClientBatchDispatcher>();
        services.AddSingleton<EncodeJob>();
        return services;
    }

    /// <summary>Registers the cluster coordinator: job store, data roots, scheduler and the job consumers.</summary>
    public static IServiceCollection AddLstmClusterCoordinator(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<CoordinatorOptions>, StateDirectoryValidation>();
        services.AddSingleton<JobStore>();
        services.AddSingleton(provider => new DataRoots(provider.GetRequiredService<IOptions<CoordinatorOptions>>().Value.EffectiveDataRoots, "coordinator"));
        services.AddSingleton<JobEvents>();
        services.AddSingleton<ShardedJobs>();
        services.AddSingleton<JobScheduler>();
        services.AddHostedService(provider => provider.GetRequiredService<JobScheduler>());
        return services;
    }

    /// <summary>Adds the cluster coordinator's consumers (job submission, status, cancel, dataset shards) to a bus registration.</summary>
    public static void AddLstmClusterCoordinatorConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<SubmitEncodeJobConsumer>();
        bus.AddConsumer<GetJobStatusConsumer>();
        bus.AddConsumer<CancelJobConsumer>();
        bus.AddConsumer<EncodeShardConsumer, EncodeShardConsumerDefinition>();
    }
}
