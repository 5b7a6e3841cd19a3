using LstmWorkers.Contracts;

namespace LstmWorkers.Hosting.MessageSize;

/// <summary>The two ways a message is refused for its size, worded alike: type, size, limit, remedy.</summary>
internal static class MessageSizeRefusals
{
    private const string Remedy = "send large batch data through a payload directory the coordinator and workers share " +
                                  "(Payloads:Directory), or raise BrokerMaxMessageBytes and RabbitMQ's max_message_size together";

    public static MessageTooLargeException OverLimit(string messageType, long size, int maxBytes) => new(
        $"the {messageType} message is {size:N0} bytes, over the message size limit of {maxBytes:N0} bytes (BrokerMaxMessageBytes); {Remedy}");

    /// <summary>Carries the broker's reason in its text, not as the inner exception: MassTransit's send retry judges an
    /// exception by its innermost one, and would take the broker's for a lost channel and send the message again.</summary>
    public static MessageTooLargeException ByBroker(string messageType, long? size, int maxBytes, string brokerReason) => new(
        $"RabbitMQ refused the {messageType} message of {size:N0} bytes ({brokerReason}): its max_message_size is below " +
        $"BrokerMaxMessageBytes ({maxBytes:N0}); keep the two equal, and {Remedy}");
}
