using LstmWorkers.Contracts.Jobs;
using LstmWorkers.Hosting.Broker;
using MassTransit;
using Microsoft.Extensions.Options;

namespace LstmWorkers.Coordinator.Cluster;

/// <summary>
/// Answers with one job's state, or every unfinished job's and the latest finished ones' (at most
/// <see cref="CoordinatorOptions.StatusReportFinishedJobs"/>), so the report does not grow with every job ever run.
/// </summary>
public sealed class GetJobStatusConsumer(JobStore store, IOptions<CoordinatorOptions> options) : IConsumer<GetJobStatus>
{
    public Task Consume(ConsumeContext<GetJobStatus> context)
    {
        var jobs = context.Message.JobId is { } jobId
            ? store.Find(jobId) is { } record ? [record] : []
            : Latest(store.All, options.Value.StatusReportFinishedJobs);
        return BrokerDeadline.ReplyAsync(context, new JobStatusReport { Jobs = jobs.Select(j => j.ToStatus()).ToArray() });
    }

    /// <summary>Every unfinished job and the last <paramref name="finished"/> finished ones, in submission order.</summary>
    private static IReadOnlyCollection<JobRecord> Latest(IReadOnlyCollection<JobRecord> all, int finished)
    {
        var kept = all.Where(j => j.State.IsFinished()).TakeLast(finished).ToHashSet();
        return all.Where(j => !j.State.IsFinished() || kept.Contains(j)).ToArray();
    }
}
