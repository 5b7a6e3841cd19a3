using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

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
        await host.GrantAccessAsync();
        return host;
    }

    public async ValueTask DisposeAsync() => await RabbitMqCtlAsync("delete_vhost", Name);

    /// <summary>Lets the guest user in (again).</summary>
    public Task GrantAccessAsync() => RabbitMqCtlAsync("set_permissions", "-p", Name, "guest", ".*", ".*", ".*");

    /// <summary>Shuts the guest user out and closes every connection to this virtual host: its clients lose the
    /// broker until <see cref="GrantAccessAsync"/>, while the broker itself and other virtual hosts go on.</summary>
    public async Task RevokeAccessAsync()
    {
        await RabbitMqCtlAsync("clear_permissions", "-p", Name, "guest");
        await RabbitMqCtlAsync("close_all_connections", "--vhost", Name, "access revoked by a test");
    }

    /// <summary>Stops and starts the RabbitMQ application: every connection drops, queues and messages stay.</summary>
    public static async Task RestartBrokerAsync()
    {
        await RabbitMqCtlAsync("stop_app");
        await RabbitMqCtlAsync("start_app");
    }

    /// <summary>
    /// Restarts the broker while every client's sends wait for their confirmation: a memory alarm (a high watermark of
    /// almost nothing) blocks every publishing connection for three seconds, then the broker stops, and starts again with
    /// its configured watermark.
    /// </summary>
    public static async Task RestartBrokerWithSendsUnconfirmedAsync()
    {
        await RabbitMqCtlAsync("set_vm_memory_high_watermark", "0.0000001");
        await Task.Delay(TimeSpan.FromSeconds(3));
        await RestartBrokerAsync();
    }

    /// <summary>Every queue of this virtual host with its ready and unacknowledged messages and its consumers: where a
    /// job that hangs has its batches.</summary>
    public Task<string> QueuesAsync() =>
        RabbitMqCtlAsync("list_queues", "-p", Name, "name", "messages_ready", "messages_unacknowledged", "consumers");

    /// <summary>The broker's <c>max_message_size</c>, in bytes (a setting of the whole broker, not of a virtual host).</summary>
    public static async Task<int> MaxMessageSizeAsync()
    {
        string answer = await RabbitMqCtlAsync("eval", "application:get_env(rabbit, max_message_size).");
        var size = Regex.Match(answer, @"\{ok,(\d+)\}");
        Assert.True(size.Success, $"rabbitmqctl did not tell max_message_size: {answer}");
        return int.Parse(size.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static async Task<string> RabbitMqCtlAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("rabbitmqctl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        string error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} failed: {error}");
        }

        return await output;
    }
}
