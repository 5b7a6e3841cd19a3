using LstmWorkers.Contracts.Batches;
using LstmWorkers.Contracts.Payloads;
using LstmWorkers.Coordinator.Dispatch;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LstmWorkers.Coordinator.Tests.Dispatch;

/// <summary>A worker that replies twice (as one that died after replying, before acknowledging, and whose
/// batch a second worker then encoded): the coordinator takes the first reply and ignores the second.</summary>
public class DuplicateReplyTests
{
    [Fact]
    public async Task Dispatch_takes_the_first_of_duplicate_replies_and_ignores_the_rest()
    {
        var services = DispatcherServices.Create();
        services.AddMassTransitTestHarness(bus => bus.AddConsumer<TwiceReplyingConsumer>());
        await using var provider = services.BuildServiceProvider(true);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        var dispatcher = provider.GetRequiredService<IBatchDispatcher>();

        var first = await dispatcher.DispatchAsync(new EncodeBatch { BatchIndex = 1, Rows = [0], BatchSizes = [1] }, CancellationToken.None);
        var second = await dispatcher.DispatchAsync(new EncodeBatch { BatchIndex = 2, Rows = [1], BatchSizes = [1] }, CancellationToken.None);

        Assert.Equal("first reply", first.Device);
        Assert.Equal(2, second.BatchIndex);
        Assert.Equal("first reply", second.Device);
    }

    private sealed class TwiceReplyingConsumer : IConsumer<EncodeBatch>
    {
        public async Task Consume(ConsumeContext<EncodeBatch> context)
        {
            foreach (string device in new[] { "first reply", "duplicate reply" })
            {
                await context.RespondAsync(new BatchEncoded
                {
                    BatchIndex = context.Message.BatchIndex,
                    HiddenState = new Payload { Inline = [] },
                    CellState = new Payload { Inline = [] },
                    Device = device,
                });
            }
        }
    }
}
