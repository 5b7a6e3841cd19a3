using System.Diagnostics;
using LstmWorkers.Cli.Tests.Support;
using LstmWorkers.Contracts.Batches;
using LstmWorkers.Contracts.Payloads;
using LstmWorkers.Coordinator;
using LstmWorkers.Coordinator.Dispatch;
using LstmWorkers.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LstmWorkers.Cli.Tests.Cluster;

/// <summary>
/// RabbitMQ itself refusing a message for its size (a role whose <c>BrokerMaxMessageBytes</c> is above the
/// broker's <c>max_message_size</c>): the broker closes the channel, which MassTransit would take for an
/// outage and resend into for as long as the caller waits; the dispatch must fail at once instead.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class BrokerSizeRefusalTests
{
    [RabbitMqFact]
    public async Task A_batch_the_broker_refuses_for_its_size_fails_its_dispatch_at_once_with_the_broker_s_reason()
    {
        await using var virtualHost = await RabbitMqVirtualHost.CreateAsync();
        int brokerLimit = await RabbitMqVirtualHost.MaxMessageSizeAsync();
        using var host = CoordinatorBus(virtualHost, maxMessageBytes: brokerLimit + (1 << 20));
        await host.StartAsync();
        var batch = new EncodeBatch
        {
            Rows = [5, 2],
            BatchSizes = [2],
            // In base64, a little over the broker's limit and well under the coordinator's.
            Tokens = new Payload { Inline = new byte[brokerLimit / 4 * 3 + 3000], Length = brokerLimit / 4 * 3 + 3000 },
        };

        var elapsed = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<BatchFailedException>(
            () => host.Services.GetRequiredService<IBatchDispatcher>().DispatchAsync(batch, CancellationToken.None));
        elapsed.Stop();
        await host.StopAsync();

        Assert.Contains("rows 2, 5", error.Message);
        Assert.Contains("cannot be sent: RabbitMQ refused the EncodeBatch message of", error.Message);
        Assert.Contains("PRECONDITION_FAILED", error.Message);
        Assert.Contains("max_message_size", error.Message);
        Assert.InRange(elapsed.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(60));
    }

    /// <summary>A coordinator's dispatcher on the virtual host's bus, with the given message size limit.</summary>
    private static IHost CoordinatorBus(RabbitMqVirtualHost virtualHost, int maxMessageBytes)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddLstmCoordinator();
        builder.Services.AddLstmBus(
            new BrokerSettings(new Uri($"amqp://localhost:5672/{virtualHost.Name}"), "guest", "guest") { MaxMessageBytes = maxMessageBytes },
            _ => { });
        return builder.Build();
    }
}
