using MassTransit;

namespace LstmWorkers.Hosting.MessageSize;

/// <summary>
/// Puts a <see cref="SizeLimitedSerializer"/> in front of each outgoing message's serializer. The body
/// exists only once the transport serializes it, after every filter has run, so the check happens there.
/// </summary>
internal sealed class MessageSizeLimitFilter(int maxBytes) : IFilter<SendContext>, IFilter<PublishContext>
{
    public Task Send(SendContext context, IPipe<SendContext> next)
    {
        Limit(context);
        return next.Send(context);
    }

    public Task Send(PublishContext context, IPipe<PublishContext> next)
    {
        Limit(context);
        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("messageSizeLimit").Add("maxBytes", maxBytes);

    private void Limit(SendContext context)
    {
        if (context.Serializer is not (null or SizeLimitedSerializer))
        {
            context.Serializer = new SizeLimitedSerializer(context.Serializer, maxBytes);
        }
    }
}
