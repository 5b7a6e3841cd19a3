using LstmWorkers.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LstmWorkers.Cli.Hosts;

/// <summary>
/// The one way every role builds its host: appsettings.json beside the executable, then
/// <c>LSTMW_</c> environment variables, then the command line's flags (as configuration keys).
/// </summary>
public static class LstmwHost
{
    public static HostApplicationBuilder CreateBuilder(IReadOnlyDictionary<string, string?> flags)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddEnvironmentVariables("LSTMW_");
        builder.Configuration.AddInMemoryCollection(flags.Where(f => f.Value is not null));
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddSingleton<IHostLifetime, CommandLifetime>(); // signals stop the command, and through it the host
        return builder;
    }

    public static BrokerSettings Broker(this HostApplicationBuilder builder) => BrokerSettings.From(builder.Configuration);
}
