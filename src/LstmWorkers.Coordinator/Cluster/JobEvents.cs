using LstmWorkers.Hosting.Broker;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace LstmWorkers.Coordinator.Cluster;

/// <summary>
/// Publishes a job's events (<see cref="Contracts.Jobs.JobCompleted"/>, <see cref="Contracts.Jobs.JobFailed"/>). The job's
/// outcome is already in its record (what status requests read), so an event lost to a broker outage is logged, not
/// allowed to change that outcome or hold up the next job.
/// </summary>
public sealed partial class JobEvents(IBus bus, ILogger<JobEvents> logger)
{
    public async Task PublishAsync<T>(T message) where T : class
    {
        try
        {
            await BrokerDeadline.RunAsync(token => bus.Publish(message, token), BrokerDeadline.Send, CancellationToken.None);
        }
        catch (Exception e)
        {
            LogEventLost(typeof(T).Name, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish {Event}: {Reason}")]
    private partial void LogEventLost(string @event, string reason);
}
