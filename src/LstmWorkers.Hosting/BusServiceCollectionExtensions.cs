using LstmWorkers.Hosting.MessageSize;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace LstmWorkers.Hosting;

public static class BusServiceCollectionExtensions
{
    /// <summary>
    /// Adds the MassTransit bus every role shares: kebab-case queue names, endpoints for the
    /// registered consumers, and the transport — in-memory for an embedded run, RabbitMQ for a cluster,
    /// where no message over <see cref="BrokerSettings.MaxMessageBytes"/> is sent or accepted. MassTransit's usage
    /// telemetry (since 8.4 an HTTPS report about the host and its bus, five minutes after it starts) is off: lstmw
    /// runs on users' data, often where nothing outside may be reached, and sends nothing anywhere but its broker.
    /// </summary>
    public static IServiceCollection AddLstmBus(this IServiceCollection services, BrokerSettings broker,
        Action<IBusRegistrationConfigurator> register)
    {
        services.AddMassTransit(bus =>
        {
            bus.DisableUsageTelemetry();
            bus.SetKebabCaseEndpointNameFormatter();
            register(bus);
            if (broker.IsInMemory)
            {
                bus.UsingInMemory((context, transport) => transport.ConfigureEndpoints(context));
                return;
            }

            bus.UsingRabbitMq((context, transport) =>
            {
                transport.Host(broker.Address, host =>
                {
                    if (broker.Username is not null)
                    {
                        host.Username(broker.Username);
                    }

                    if (broker.Password is not null)
                    {
                        host.Password(broker.Password);
                    }

                    host.MaxMessageSize((uint)broker.MaxMessageBytes);
                });
                transport.LimitMessageSize(broker.MaxMessageBytes);
                transport.ConfigureEndpoints(context);
            });
        });
        services.AddOptions<MassTransitHostOptions>().Configure(host =>
        {
            host.WaitUntilStarted = true;
            host.StartTimeout = TimeSpan.FromMinutes(1);
            host.StopTimeout = TimeSpan.FromSeconds(30);
        });
        return services;
    }
}
