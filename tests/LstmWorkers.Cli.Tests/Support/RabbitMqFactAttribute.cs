using System.Net.Sockets;

namespace LstmWorkers.Cli.Tests.Support;

/// <summary>
/// A test that needs RabbitMQ on localhost:5672 (with <c>rabbitmqctl</c>). Skipped when none is
/// running — except under CI (<c>CI=true</c>), where a missing broker must fail the run, not hide it.
/// </summary>
public sealed class RabbitMqFactAttribute : FactAttribute
{
    private static readonly Lazy<bool> Running = new(() =>
    {
        try
        {
            using var client = new TcpClient();
            return client.ConnectAsync("127.0.0.1", 5672).Wait(TimeSpan.FromSeconds(2)) && client.Connected;
        }
        catch (Exception e) when (e is SocketException or AggregateException)
        {
            return false;
        }
    });

    public RabbitMqFactAttribute()
    {
        if (!Running.Value && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = "RabbitMQ is not running on localhost:5672 (.ci/run installs and starts it)";
        }
    }
}
