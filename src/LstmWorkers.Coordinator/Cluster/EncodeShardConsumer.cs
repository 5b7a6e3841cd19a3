using LstmWorkers.Contracts.Jobs;
using MassTransit;

namespace LstmWorkers.Coordinator.Cluster;

/// <summary>Encodes one shard of a dataset job (<see cref="ShardedJobs.EncodeShardAsync"/>); the message is acknowledged
/// once its part is committed, so a coordinator that dies on the way leaves it to be redelivered.</summary>
public sealed class EncodeShardConsumer(ShardedJobs jobs) : IConsumer<EncodeShard>
{
    public Task Consume(ConsumeContext<EncodeShard> context) => jobs.EncodeShardAsync(context.Message, context.CancellationToken);
}

/// <summary>One shard at a time per coordinator, and none waiting in its prefetch: a shard another coordinator could take
/// is not held here behind a long one.</summary>
public sealed class EncodeShardConsumerDefinition : ConsumerDefinition<EncodeShardConsumer>
{
    public EncodeShardConsumerDefinition() => ConcurrentMessageLimit = 1;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<EncodeShardConsumer> consumer,
        IRegistrationContext context)
    {
        endpoint.PrefetchCount = 1;
    }
}
