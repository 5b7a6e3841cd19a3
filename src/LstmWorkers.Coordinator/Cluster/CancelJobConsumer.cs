using LstmWorkers.Contracts.Jobs;
using LstmWorkers.Hosting.Broker;
using MassTransit;

namespace LstmWorkers.Coordinator.Cluster;

/// <summary>Cancels a job and answers with its state afterwards (empty when the job is unknown).</summary>
public sealed class CancelJobConsumer(JobStore store, JobScheduler scheduler) : IConsumer<CancelJob>
{
    public Task Consume(ConsumeContext<CancelJob> context)
    {
        scheduler.Cancel(context.Message.JobId);
        var record = store.Find(context.Message.JobId);
        return BrokerDeadline.ReplyAsync(context, new JobStatusReport { Jobs = record is null ? [] : [record.ToStatus()] });
    }
}
