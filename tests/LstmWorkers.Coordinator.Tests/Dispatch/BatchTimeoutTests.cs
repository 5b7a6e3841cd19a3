using LstmWorkers.Coordinator.Dispatch;

namespace LstmWorkers.Coordinator.Tests.Dispatch;

/// <summary>How <see cref="CoordinatorOptions.BatchTimeout"/> becomes MassTransit's request timeout.</summary>
public class BatchTimeoutTests
{
    [Fact]
    public void An_infinite_batch_timeout_waits_weeks_not_masstransit_s_default_30_seconds()
    {
        var timeout = RequestClientBatchDispatcher.RequestTimeoutFor(Timeout.InfiniteTimeSpan);

        Assert.True(timeout.HasValue); // a request without a timeout of its own gets MassTransit's 30 s
        Assert.True(timeout.Value >= TimeSpan.FromDays(24), $"{timeout.Value}");
    }

    [Theory]
    [InlineData(5_000)]
    [InlineData(600_000)]
    public void A_finite_batch_timeout_is_passed_on(int milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), RequestClientBatchDispatcher.RequestTimeoutFor(TimeSpan.FromMilliseconds(milliseconds)).Value);
    }
}
