using LstmWorkers.Contracts.Batches;
using LstmWorkers.Coordinator.Dispatch;
using LstmWorkers.Coordinator.Jobs;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace LstmWorkers.Coordinator;

public static class CoordinatorServiceCollectionExtensions
{
    /// <summary>Registers the coordinator's services; the bus itself is configured by the host.</summary>
    public static IServiceCollection AddLstmCoordinator(this IServiceCollection services)
    {
        services.AddOptions<CoordinatorOptions>().BindConfiguration(CoordinatorOptions.SectionName)
            .Validate(o => o.MaxBatchRows > 0 && o.MaxBatchTokens > 0 && o.WindowRows > 0 && o.WindowBytes > 0 && o.WindowsInFlight > 0,
                "Coordinator batch and window limits must be positive")
            .Validate(o => o.BatchAttempts > 0 && o.BatchTimeout > TimeSpan.Zero, "Coordinator:BatchAttempts and BatchTimeout must be positive")
            .ValidateOnStart();
        services.AddSingleton<IBatchDispatcher, RequestClientBatchDispatcher>();
        services.AddSingleton<EncodeJob>();
        return services;
    }

    /// <summary>Adds the coordinator's request clients to a bus registration.</summary>
    public static void AddLstmCoordinatorClients(this IBusRegistrationConfigurator bus) => bus.AddRequestClient<EncodeBatch>();
}
