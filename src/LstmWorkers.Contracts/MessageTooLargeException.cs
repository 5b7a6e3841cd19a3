namespace LstmWorkers.Contracts;

/// <summary>
/// A message refused for its size — by the sender's own limit (<c>BrokerMaxMessageBytes</c>) before it
/// left, or by the broker (RabbitMQ's <c>max_message_size</c>). The same message is refused again on
/// every try, so it is never retried; the message names the type, the size, the limit and the remedy.
/// </summary>
public sealed class MessageTooLargeException(string message, Exception? innerException = null) : Exception(message, innerException)
{
    /// <summary>The refusal in <paramref name="exception"/> or among its inner exceptions (MassTransit wraps
    /// a failed request's send in a <c>RequestException</c>), or null when there is none.</summary>
    public static MessageTooLargeException? FindIn(Exception? exception) => exception switch
    {
        null => null,
        MessageTooLargeException refusal => refusal,
        _ => FindIn(exception.InnerException),
    };
}
