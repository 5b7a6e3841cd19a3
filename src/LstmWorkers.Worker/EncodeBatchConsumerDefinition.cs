using LstmWorkers.Contracts;
using MassTransit;
using Microsoft.Extensions.Options;

namespace LstmWorkers.Worker;

/// <summary>Endpoint settings of <see cref="EncodeBatchConsumer"/>: as many batches at once as the worker's
/// concurrency, and a few retries for transient failures before the fault goes back to the coordinator.</summary>
public sealed class EncodeBatchConsumerDefinition : ConsumerDefinition<EncodeBatchConsumer>
{
    public EncodeBatchConsumerDefinition(IOptions<WorkerOptions> options)
    {
        ConcurrentMessageLimit = options.Value.EffectiveConcurrency;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<EncodeBatchConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(retry =>
        {
            retry.Intervals(100, 1000);
            retry.Ignore<MessageTooLargeException>(); // a reply refused for its size is refused again: no point encoding the batch twice more
        });
        // The fault still goes back to the coordinator, which fails the job naming the batch's rows;
        // keeping the message in an error queue as well would only pile up payloads nobody reads.
        endpointConfigurator.DiscardFaultedMessages();
        endpointConfigurator.PrefetchCount = Math.Max(1, ConcurrentMessageLimit ?? 1);
    }
}
