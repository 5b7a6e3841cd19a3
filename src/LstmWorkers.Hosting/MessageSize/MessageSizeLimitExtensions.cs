using MassTransit;

namespace LstmWorkers.Hosting.MessageSize;

public static class MessageSizeLimitExtensions
{
    /// <summary>
    /// Refuses, with a <see cref="Contracts.MessageTooLargeException"/>, every sent, published or answered
    /// message whose serialized body is over <paramref name="maxBytes"/>, before it reaches the broker;
    /// and turns the broker's own refusal of a message for its size into the same exception, which
    /// MassTransit then does not retry (it would otherwise resend it for as long as the caller waits).
    /// </summary>
    public static void LimitMessageSize(this IBusFactoryConfigurator bus, int maxBytes)
    {
        var limit = new MessageSizeLimitFilter(maxBytes);
        bus.ConfigureSend(send => send.UseFilter(limit));
        bus.ConfigurePublish(publish => publish.UseFilter(limit));
        var refusals = new BrokerSizeRefusalObserver(maxBytes);
        bus.ConnectSendObserver(refusals);
        bus.ConnectPublishObserver(refusals);
    }
}
