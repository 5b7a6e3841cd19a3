using LstmWorkers.Contracts.Jobs;
using MassTransit;

namespace LstmWorkers.Coordinator.Cluster;

/// <summary>Answers with one job's state, or every job's.</summary>
public sealed class GetJobStatusConsumer(JobStore store) : IConsumer<GetJobStatus>
{
    public Task Consume(ConsumeContext<GetJobStatus> context)
    {
        var jobs = context.Message.JobId is { } jobId
            ? store.Find(jobId) is { } record ? [record] : []
            : store.All;
        return context.RespondAsync(new JobStatusReport { Jobs = jobs.Select(j => j.ToStatus()).ToArray() });
    }
}
