using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace LstmWorkers.Hosting;

public static class BusServiceCollectionExtensions
{
    /// <summary>
    /// Adds the MassTransit bus every role shares: kebab-case queue names, endpoints for the
    /// registered consumers, and the transport — in-memory for an embedded run.
    /// </summary>
    public static IServiceCollection AddLstmBus(this IServiceCollection services, Action<IBusRegistrationConfigurator> register)
    {
        services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            register(bus);
            bus.UsingInMemory((context, transport) => transport.ConfigureEndpoints(context));
        });
        services.AddOptions<MassTransitHostOptions>().Configure(host =>
        {
            host.WaitUntilStarted = true;
            host.StopTimeout = TimeSpan.FromSeconds(30);
        });
        return services;
    }
}
