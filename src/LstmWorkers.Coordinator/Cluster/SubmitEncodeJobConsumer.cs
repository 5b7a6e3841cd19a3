using LstmWorkers.Contracts.Jobs;
using MassTransit;

namespace LstmWorkers.Coordinator.Cluster;

/// <summary>Accepts a submitted job (idempotent by job id) after checking its paths and options, or rejects it.</summary>
public sealed class SubmitEncodeJobConsumer(JobStore store, DataRoots roots, JobScheduler scheduler) : IConsumer<SubmitEncodeJob>
{
    public async Task Consume(ConsumeContext<SubmitEncodeJob> context)
    {
        var job = context.Message;
        try
        {
            JobRequests.Resolve(job, roots);
        }
        catch (Exception e) when (e is ArgumentException or UnauthorizedAccessException)
        {
            await context.RespondAsync(new JobRejected { JobId = job.JobId, Reason = e.Message });
            return;
        }

        var record = store.AddIfNew(new JobRecord(job, JobState.Queued, DateTimeOffset.UtcNow));
        if (record.State == JobState.Queued)
        {
            scheduler.Enqueue(job.JobId);
        }

        await context.RespondAsync(new JobAccepted { JobId = job.JobId });
    }
}
