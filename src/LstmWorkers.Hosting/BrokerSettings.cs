using Microsoft.Extensions.Configuration;

namespace LstmWorkers.Hosting;

/// <summary>
/// Where the bus runs: <c>Broker</c> (<c>--broker</c>, <c>LSTMW_BROKER</c>) is an
/// <c>amqp://[user:password@]host[:port][/vhost]</c> URI, or empty for the in-memory transport.
/// <c>BrokerUsername</c> and <c>BrokerPassword</c> override the URI's credentials, so secrets can
/// come from their own variables. There is no default user: a URI without credentials uses the
/// broker's own default (RabbitMQ's guest, which only works on localhost).
/// </summary>
public sealed record BrokerSettings(Uri? Address, string? Username, string? Password)
{
    public bool IsInMemory => Address is null;

    public static BrokerSettings From(IConfiguration configuration)
    {
        string? text = configuration["Broker"];
        if (string.IsNullOrWhiteSpace(text))
        {
            return new BrokerSettings(null, null, null);
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps" or "rabbitmq"))
        {
            throw new ArgumentException($"--broker '{text}' is not an amqp://host[:port][/vhost] URI");
        }

        string[] credentials = uri.UserInfo.Split(':', 2);
        string? username = configuration["BrokerUsername"] ?? NonEmpty(Uri.UnescapeDataString(credentials[0]));
        string? password = configuration["BrokerPassword"] ?? (credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : null);
        var address = new UriBuilder(uri) { UserName = "", Password = "" }.Uri;
        return new BrokerSettings(address, username, password);
    }

    /// <summary>The address without credentials, for logs.</summary>
    public override string ToString() => Address?.ToString() ?? "in-memory";

    private static string? NonEmpty(string value) => value.Length == 0 ? null : value;
}
