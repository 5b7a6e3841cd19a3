namespace LstmWorkers.Hosting.Broker;

/// <summary>
/// How long a role waits for the broker to take one message. RabbitMQ.Client 7.2 waits forever for the confirmation
/// of a message published as the broker stops (rabbitmq/rabbitmq-dotnet-client#1930: the confirmation of a message on a
/// channel that closed is never completed, and a restarted broker never sends it), and MassTransit's request timeout
/// only starts once the request has been sent. So every send of lstmw is given a token this deadline cancels: a send
/// caught in a broker restart then fails with <see cref="TimeoutException"/>, and its caller sends again (requests,
/// batches) or gives the message up (events), instead of waiting for ever.
/// </summary>
public static class BrokerDeadline
{
    /// <summary>Long enough for a loaded broker to take a large message, short enough that a lost one is soon sent again.</summary>
    public static TimeSpan Send { get; } = TimeSpan.FromSeconds(20);

    /// <summary>Runs <paramref name="send"/> with a token that is cancelled after <paramref name="deadline"/> (or with
    /// <paramref name="cancellationToken"/>).</summary>
    /// <exception cref="TimeoutException">The deadline passed first.</exception>
    public static async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> send, TimeSpan deadline, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(deadline);
        try
        {
            return await send(timer.Token);
        }
        catch (OperationCanceledException e) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw Expired(deadline, e);
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
            _ = send.ContinueWith(task => task.Exception, TaskContinuationOptions.OnlyOnFaulted); // observed, if it ever fails
            throw Expired(deadline, e);
        }
    }

    private static TimeoutException Expired(TimeSpan deadline, Exception inner) =>
        new($"the broker did not take the message within {deadline.TotalSeconds:0} s (it may be restarting)", inner);
}
