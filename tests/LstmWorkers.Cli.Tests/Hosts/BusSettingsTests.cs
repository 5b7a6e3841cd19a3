using LstmWorkers.Hosting;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LstmWorkers.Cli.Tests.Hosts;

public class BusSettingsTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("amqp://localhost:5672/")]
    public void The_bus_reports_no_usage_telemetry(string? broker)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddLstmBus(new BrokerSettings(broker is null ? null : new Uri(broker), null, null), _ => { });
        using var provider = services.BuildServiceProvider();

        Assert.False(provider.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled);
    }
}
