using System.Net.Mime;
using MassTransit;

namespace LstmWorkers.Hosting.MessageSize;

/// <summary>Serializes with <paramref name="inner"/> and refuses a body over <paramref name="maxBytes"/>.</summary>
internal sealed class SizeLimitedSerializer(IMessageSerializer inner, int maxBytes) : IMessageSerializer
{
    public ContentType ContentType => inner.ContentType;

    public MessageBody GetMessageBody<T>(SendContext<T> context) where T : class =>
        new SizeLimitedBody(inner.GetMessageBody(context), typeof(T).Name, maxBytes);

    private sealed class SizeLimitedBody(MessageBody body, string messageType, int maxBytes) : MessageBody
    {
        public long? Length => body.Length;

        public byte[] GetBytes()
        {
            byte[] bytes = body.GetBytes();
            return bytes.Length <= maxBytes ? bytes : throw MessageSizeRefusals.OverLimit(messageType, bytes.Length, maxBytes);
        }

        public Stream GetStream() => new MemoryStream(GetBytes(), writable: false);

        public string GetString()
        {
            GetBytes();
            return body.GetString();
        }
    }
}
