using System.Diagnostics;

namespace LstmWorkers.Cli.Tests.Support;

/// <summary>A fresh RabbitMQ virtual host for one test (made and removed with rabbitmqctl), so tests never see each other's queues.</summary>
public sealed class RabbitMqVirtualHost : IAsyncDisposable
{
    private RabbitMqVirtualHost(string name) => Name = name;

    public string Name { get; }

    /// <summary>amqp URI of the virtual host, with the guest user (accepted on localhost only).</summary>
    public string Uri => $"amqp://guest:guest@localhost:5672/{Name}";

    public static async Task<RabbitMqVirtualHost> CreateAsync()
    {
        var host = new RabbitMqVirtualHost("lstmw-test-" + Guid.NewGuid().ToString("N")[..12]);
        await RabbitMqCtlAsync("add_vhost", host.Name);
        await RabbitMqCtlAsync("set_permissions", "-p", host.Name, "guest", ".*", ".*", ".*");
        return host;
    }

    public async ValueTask DisposeAsync() => await RabbitMqCtlAsync("delete_vhost", Name);

    /// <summary>Stops and starts the RabbitMQ application: every connection drops, queues and messages stay.</summary>
    public static async Task RestartBrokerAsync()
    {
        await RabbitMqCtlAsync("stop_app");
        await RabbitMqCtlAsync("start_app");
    }

    private static async Task RabbitMqCtlAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("rabbitmqctl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        string error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} failed: {error}");
        }
    }
}
