using LstmWorkers.Hosting.Broker;

namespace LstmWorkers.Cli.Tests.Hosts;

/// <summary>
/// <see cref="BrokerDeadline"/> against sends that behave like RabbitMQ.Client's publish caught in a broker restart:
/// it never completes, and its token may or may not end it.
/// </summary>
public sealed class BrokerDeadlineTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(50);

    [Fact]
    public async Task A_send_the_broker_never_takes_times_out_at_its_deadline()
    {
        var error = await Assert.ThrowsAsync<TimeoutException>(() =>
            BrokerDeadline.RunAsync(token => Task.Delay(Timeout.Infinite, token), Short, CancellationToken.None));

        Assert.Contains("did not take the message", error.Message);
    }

    [Fact]
    public async Task A_send_that_ignores_its_token_still_times_out_at_its_deadline()
    {
        // What a dump of a client hung after a broker restart showed: a status request inside MassTransit's send waiting
        // for RabbitMQ.Client's confirmation, its request's token cancelled long before, nothing listening to it.
        var never = new TaskCompletionSource<int>();

        await Assert.ThrowsAsync<TimeoutException>(() => BrokerDeadline.RunAsync(_ => never.Task, Short, CancellationToken.None))
            .WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task The_callers_cancellation_ends_a_send_that_ignores_its_token()
    {
        var never = new TaskCompletionSource<int>();
        using var cancellation = new CancellationTokenSource(Short);

        var error = await Record.ExceptionAsync(() => BrokerDeadline.RunAsync(_ => never.Task, TimeSpan.FromMinutes(1), cancellation.Token))
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.IsAssignableFrom<OperationCanceledException>(error);
    }

    [Fact]
    public async Task The_callers_cancellation_stays_a_cancellation()
    {
        using var cancellation = new CancellationTokenSource(Short);

        var error = await Record.ExceptionAsync(() =>
            BrokerDeadline.RunAsync(token => Task.Delay(Timeout.Infinite, token), TimeSpan.FromMinutes(1), cancellation.Token));

        Assert.IsAssignableFrom<OperationCanceledException>(error);
    }

    [Fact]
    public async Task A_send_in_time_gives_its_result()
    {
        int answer = await BrokerDeadline.RunAsync(async token =>
        {
            await Task.Delay(1, token);
            return 42;
        }, TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Equal(42, answer);
    }

    [Fact]
    public async Task A_send_that_takes_no_token_is_waited_for_until_its_deadline()
    {
        var never = new TaskCompletionSource();

        await Assert.ThrowsAsync<TimeoutException>(() => BrokerDeadline.WaitAsync(never.Task, Short, CancellationToken.None));
    }
}
