using MassTransit;

namespace LstmWorkers.Hosting.Broker;

/// <summary>
/// How long a role waits for the broker to take one message. RabbitMQ.Client 7.2 waits forever for the confirmation
/// of a message published as the broker stops (rabbitmq/rabbitmq-dotnet-client#1930: the confirmation of a message on a
/// channel that closed is never completed, and a restarted broker never sends it), and MassTransit's request timeout
/// only starts once the request has been sent. Nor does a token end that wait for sure: a dump of a client hung after a
/// restart showed a status request inside MassTransit's send, its token cancelled minutes before. So every send of
/// lstmw is given a deadline that ends the wait itself, not only the send's token: a send caught in a broker restart
/// then fails with <see cref="TimeoutException"/> (and is left to finish or fail on its own), and its caller sends again
/// (requests, batches) or gives the message up (events), instead of waiting for ever.
/// </summary>
public static class BrokerDeadline
{
    /// <summary>Long enough for a loaded broker to take a large message, short enough that a lost one is soon sent again.</summary>
    public static TimeSpan Send { get; } = TimeSpan.FromSeconds(20);

    /// <summary>Runs <paramref name="send"/> with a token that is cancelled after <paramref name="deadline"/> (or with
    /// <paramref name="cancellationToken"/>), and stops waiting for it then, whether or not it heeds the token.</summary>
    /// <exception cref="TimeoutException">The deadline passed first.</exception>
    public static async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> send, TimeSpan deadline, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(deadline);
        var sending = send(timer.Token);
        try
        {
            return await sending.WaitAsync(timer.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested && timer.IsCancellationRequested)
        {
            Observe(sending);
            throw Expired(deadline, e);
        }
        catch (OperationCanceledException)
        {
            Observe(sending);
            throw;
        }
    }

    /// <inheritdoc cref="RunAsync{T}"/>
    public static Task RunAsync(Func<CancellationToken, Task> send, TimeSpan deadline, CancellationToken cancellationToken) =>
        RunAsync(async token =>
        {
            await send(token);
            return true;
        }, deadline, cancellationToken);

    /// <summary>Waits for a send that takes no token (a MassTransit reply) for at most <paramref name="deadline"/>; the send
    /// itself goes on in the background if it ever completes.</summary>
    /// <exception cref="TimeoutException">The deadline passed first.</exception>
    public static async Task WaitAsync(Task send, TimeSpan deadline, CancellationToken cancellationToken)
    {
        try
        {
            await send.WaitAsync(deadline, cancellationToken);
        }
        catch (TimeoutException e)
        {
            Observe(send);
            throw Expired(deadline, e);
        }
    }

    /// <summary>Answers the request of <paramref name="context"/> within <see cref="Send"/>: a reply caught in a broker restart
    /// fails with <see cref="TimeoutException"/> instead of holding its consumer for ever (the requester asks again).</summary>
    public static Task ReplyAsync<T>(ConsumeContext context, T reply) where T : class =>
        WaitAsync(context.RespondAsync(reply), Send, context.CancellationToken);

    /// <summary>A send no longer waited for is observed, if it ever fails.</summary>
    private static void Observe(Task send) => _ = send.ContinueWith(task => task.Exception, TaskContinuationOptions.OnlyOnFaulted);

    private static TimeoutException Expired(TimeSpan deadline, Exception inner) =>
        new($"the broker did not take the message within {deadline.TotalSeconds:0} s (it may be restarting)", inner);
}
