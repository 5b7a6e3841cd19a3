using MassTransit;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace LstmWorkers.Hosting.MessageSize;

/// <summary>
/// RabbitMQ refuses a message over its <c>max_message_size</c> by closing the channel (406
/// PRECONDITION_FAILED, "message size … is larger than configured max size …"). MassTransit takes
/// that for a lost channel and sends the message again, for as long as the caller waits. Throwing
/// from the fault notification replaces that exception with a <see cref="Contracts.MessageTooLargeException"/>,
/// which its send retry does not handle, so the send fails at once with a clear reason.
/// </summary>
internal sealed class BrokerSizeRefusalObserver(int maxBytes) : ISendObserver, IPublishObserver
{
    public Task SendFault<T>(SendContext<T> context, Exception exception) where T : class =>
        exception is OperationInterruptedException { ShutdownReason: { ReplyCode: Constants.PreconditionFailed } reason }
        && reason.ReplyText.Contains("message size", StringComparison.Ordinal)
            ? throw MessageSizeRefusals.ByBroker(typeof(T).Name, context.BodyLength, maxBytes, reason.ReplyText)
            : Task.CompletedTask;

    public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => SendFault(context, exception);

    public Task PreSend<T>(SendContext<T> context) where T : class => Task.CompletedTask;

    public Task PostSend<T>(SendContext<T> context) where T : class => Task.CompletedTask;

    public Task PrePublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;

    public Task PostPublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;
}
