using LstmWorkers.Cli.Console;
using LstmWorkers.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LstmWorkers.Cli.Hosts;

/// <summary>Runs a long-running cluster role (coordinator, worker) until it is stopped.</summary>
public static class RoleHost
{
    /// <summary>
    /// Checks that a broker is configured, lets <paramref name="configure"/> add the role's services, and runs the host.
    /// Bad settings (a broker URI, a size limit, an option out of range) end in one <c>lstmw: error:</c> line and exit code 1.
    /// </summary>
    public static async Task<int> RunAsync(string role, HostApplicationBuilder builder, Action<HostApplicationBuilder, BrokerSettings> configure,
        CancellationToken cancellationToken)
    {
        IHost host;
        try
        {
            var settings = builder.Broker();
            if (settings.IsInMemory)
            {
                await System.Console.Error.WriteLineAsync($"lstmw: error: a {role} needs --broker (or LSTMW_BROKER)");
                return 1;
            }

            configure(builder, settings);
            host = builder.Build();
            host.Services.GetRequiredService<IStartupValidator>().Validate(); // bad options: one line here, not the host's stack trace
        }
        catch (Exception e) when (e is ArgumentException or OptionsValidationException)
        {
            return await ErrorLine.WriteAsync(e);
        }

        using (host)
        {
            try
            {
                await host.RunAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return await ErrorLine.WriteAsync(e); // a start that failed (a broker out of reach, a taken port): one line
            }
        }

        return 0;
    }
}
