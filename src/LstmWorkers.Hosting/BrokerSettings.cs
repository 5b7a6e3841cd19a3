using System.Globalization;
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
    /// <summary>
    /// 60 MiB: under RabbitMQ.Client's default inbound cap (64 MiB) and RabbitMQ's <c>max_message_size</c>
    /// (128 MiB), and above the largest inline batch the default <c>Coordinator:MaxBatchBytes</c> allows
    /// (32 MiB of data is 43 MiB in base64, plus the hidden and cell states). deploy/ sets RabbitMQ's
    /// <c>max_message_size</c> to the same number, so the broker refuses exactly what the roles refuse.
    /// </summary>
    public const int DefaultMaxMessageBytes = 60 * 1024 * 1024;

    /// <summary>AMQP's smallest frame: with a lower inbound cap, RabbitMQ.Client drops the connection on the broker's handshake.</summary>
    public const int MaxMessageBytesFloor = 4096;

    /// <summary>RabbitMQ's own ceiling for <c>max_message_size</c>.</summary>
    public const int MaxMessageBytesCeiling = 512 * 1024 * 1024;

    /// <summary>
    /// The largest message body, in bytes, a role sends or accepts over RabbitMQ (<c>BrokerMaxMessageBytes</c>,
    /// <c>LSTMW_BROKERMAXMESSAGEBYTES</c>). Keep RabbitMQ's <c>max_message_size</c> equal to it: the client
    /// library drops the connection on a larger inbound message instead of refusing just that message.
    /// </summary>
    public int MaxMessageBytes { get; init; } = DefaultMaxMessageBytes;

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
            throw new ArgumentException($"--broker '{WithoutCredentials(text)}' is not an amqp://host[:port][/vhost] URI");
        }

        string[] credentials = uri.UserInfo.Split(':', 2);
        string? username = configuration["BrokerUsername"] ?? NonEmpty(Uri.UnescapeDataString(credentials[0]));
        string? password = configuration["BrokerPassword"] ?? (credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : null);
        var address = new UriBuilder(uri) { UserName = "", Password = "" }.Uri;
        return new BrokerSettings(address, username, password) { MaxMessageBytes = MaxMessageBytesFrom(configuration) };
    }

    /// <summary>The address without credentials, for logs.</summary>
    public override string ToString() => Address?.ToString() ?? "in-memory";

    private static int MaxMessageBytesFrom(IConfiguration configuration)
    {
        string? text = configuration["BrokerMaxMessageBytes"];
        if (string.IsNullOrWhiteSpace(text))
        {
            return DefaultMaxMessageBytes;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int bytes) || bytes is < MaxMessageBytesFloor or > MaxMessageBytesCeiling)
        {
            throw new ArgumentException(
                $"BrokerMaxMessageBytes '{text}' is not a number of bytes from {MaxMessageBytesFloor} (AMQP's smallest frame) to {MaxMessageBytesCeiling} (RabbitMQ's largest max_message_size)");
        }

        return bytes;
    }

    private static string? NonEmpty(string value) => value.Length == 0 ? null : value;

    /// <summary>A broker setting fit for a message: whatever precedes the last <c>@</c> after the scheme (the user and
    /// password, however malformed the rest) becomes <c>***</c>; rather too much than a password.</summary>
    private static string WithoutCredentials(string text)
    {
        int start = text.IndexOf("://", StringComparison.Ordinal) is var scheme and >= 0 ? scheme + 3 : 0;
        int at = text.LastIndexOf('@');
        return at >= start ? text[..start] + "***" + text[at..] : text;
    }
}
