using System.Diagnostics;
using LstmWorkers.Contracts.Batches;
using LstmWorkers.Contracts.Payloads;
using LstmWorkers.Coordinator.Dispatch;
using LstmWorkers.Hosting.MessageSize;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace LstmWorkers.Coordinator.Tests.Dispatch;

/// <summary>A batch whose message is over the bus's size limit: no retry can send it, so its dispatch fails at once,
/// naming the message type, its size, the limit and the remedy — not after five minutes of "broker outage".</summary>
public sealed class OversizedBatchTests
{
    [Fact]
    public async Task Dispatch_of_a_batch_over_the_message_size_limit_fails_at_once_naming_type_size_and_limit()
    {
        var services = DispatcherServices.Create();
        services.AddMassTransit(bus => bus.UsingInMemory((context, transport) =>
        {
            transport.LimitMessageSize(4096);
            transport.ConfigureEndpoints(context);
        }));
        await using var provider = services.BuildServiceProvider(true);
        var control = provider.GetRequiredService<IBusControl>();
        await control.StartAsync();
        var batch = new EncodeBatch { Rows = [9, 4], BatchSizes = [2], Tokens = new Payload { Inline = new byte[8192], Length = 8192 } };

        var elapsed = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<BatchFailedException>(
            () => provider.GetRequiredService<IBatchDispatcher>().DispatchAsync(batch, CancellationToken.None));
        elapsed.Stop();
        await control.StopAsync();

        Assert.Contains("rows 4, 9", error.Message);
        Assert.Matches(@"cannot be sent: the EncodeBatch message is [\d,]+ bytes, over the message size limit of 4,096 bytes \(BrokerMaxMessageBytes\)", error.Message);
        Assert.Contains("Payloads:Directory", error.Message);
        Assert.InRange(elapsed.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }
}
