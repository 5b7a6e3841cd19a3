using LstmWorkers.Contracts.Batches;
using LstmWorkers.Contracts.Payloads;
using LstmWorkers.Coordinator.Dispatch;
using LstmWorkers.Hosting.Broker;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LstmWorkers.Coordinator.Tests.Dispatch;

/// <summary>
/// A batch whose first send never completes and does not heed its token, as a dump of a coordinator stuck after a
/// broker restart showed (MassTransit's RabbitMQ send waiting for RabbitMQ.Client's confirmation): the dispatcher gives
/// that send up at <see cref="BrokerDeadline.Send"/> and sends the batch again.
/// </summary>
public class StuckSendTests
{
    [Fact]
    public async Task A_send_stuck_past_its_deadline_is_sent_again()
    {
        var services = DispatcherServices.Create();
        var stuck = new StuckFirstSend();
        services.AddMassTransitTestHarness(bus =>
        {
            bus.AddConsumer<ReplyingConsumer>();
            bus.UsingInMemory((context, transport) =>
            {
                transport.ConfigurePublish(publish => publish.UseFilter(stuck)); // a batch request is published to the batch queue
                transport.ConfigureEndpoints(context);
            });
        });
        await using var provider = services.BuildServiceProvider(true);
        await provider.GetRequiredService<ITestHarness>().Start();

        var result = await provider.GetRequiredService<IBatchDispatcher>()
            .DispatchAsync(new EncodeBatch { BatchIndex = 3, Rows = [0], BatchSizes = [1] }, CancellationToken.None)
            .WaitAsync(BrokerDeadline.Send * 3);

        Assert.Equal(3, result.BatchIndex);
        Assert.Equal(2, stuck.Sends);
    }

    /// <summary>The first <see cref="EncodeBatch"/> sent waits for ever, whatever its token says; the others go.</summary>
    private sealed class StuckFirstSend : IFilter<PublishContext>
    {
        private int _sends;

        public int Sends => _sends;

        public async Task Send(PublishContext context, IPipe<PublishContext> next)
        {
            if (context is PublishContext<EncodeBatch> && Interlocked.Increment(ref _sends) == 1)
            {
                await new TaskCompletionSource().Task;
            }

            await next.Send(context);
        }

        public void Probe(ProbeContext context)
        {
        }
    }

    private sealed class ReplyingConsumer : IConsumer<EncodeBatch>
    {
        public Task Consume(ConsumeContext<EncodeBatch> context) => context.RespondAsync(new BatchEncoded
        {
            BatchIndex = context.Message.BatchIndex,
            HiddenState = new Payload { Inline = [] },
            CellState = new Payload { Inline = [] },
            Device = "test",
        });
    }
}
