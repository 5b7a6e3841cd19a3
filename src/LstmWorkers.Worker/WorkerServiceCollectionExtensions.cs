using LstmWorkers.Contracts.Payloads;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Logging;

namespace LstmWorkers.Worker;

public static class WorkerServiceCollectionExtensions
{
    /// <summary>Registers the worker's services: the chosen backend, the model cache, the batch threads.</summary>
    public static IServiceCollection AddLstmWorker(this IServiceCollection services)
    {
        services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.SectionName)
            .Validate(o => LstmBackends.DeviceNames.Contains(o.Device), $"Worker:Device must be one of {string.Join(", ", LstmBackends.DeviceNames)}")
            .Validate(o => o.Concurrency >= 0, "Worker:Concurrency must be 0 (one per core) or more")
            .Validate(o => o.MaxCachedModels >= 1, "Worker:MaxCachedModels must be 1 or more")
            .Validate(o => o.Cpu.InputTableBudgetBytes >= 0, "Worker:Cpu:InputTableBudgetBytes must be 0 (no table) or more")
            .Validate(o => o.Cpu.MaxThreadsPerRun >= 1, "Worker:Cpu:MaxThreadsPerRun must be 1 or more")
            .Validate(o => o.Cpu.ChunkRows >= 1, "Worker:Cpu:ChunkRows must be 1 or more")
            .Validate(o => o.Cpu.Cores >= 0, "Worker:Cpu:Cores must be 0 (every core) or more")
            .Validate(o => Enum.IsDefined(o.Cpu.VectorWidth), "Worker:Cpu:VectorWidth must be Auto, Bits256 or Bits512")
            .ValidateOnStart();
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<WorkerOptions>>().Value;
            var (backend, reason) = LstmBackends.Create(options.Device, options.Cpu);
            provider.GetRequiredService<ILoggerFactory>().CreateLogger("LstmWorkers.Worker")
                .LogInformation("Worker device {Device}: {Reason}", backend.Device, reason);
            return backend;
        });
        services.AddOptions<PayloadOptions>().BindConfiguration(PayloadOptions.SectionName);
        services.TryAddSingleton(provider => provider.GetRequiredService<IOptions<PayloadOptions>>().Value.CreateStore());
        services.AddSingleton<ModelCache>();
        services.AddSingleton<BatchThreads>();
        services.AddSingleton<WorkerMetrics>();
        services.AddHostedService<WorkerDeviceCheck>();
        services.AddHealthChecks().AddCheck<DeviceHealthCheck>("device", tags: ["ready"]);
        return services;
    }

    /// <summary>Adds the worker's consumers to a bus registration.</summary>
    public static void AddLstmWorkerConsumers(this IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<EncodeBatchConsumer, EncodeBatchConsumerDefinition>();
}
