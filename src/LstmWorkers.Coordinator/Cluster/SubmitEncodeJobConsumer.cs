using LstmWorkers.Contracts.Jobs;
using LstmWorkers.Coordinator.Datasets;
using LstmWorkers.Core.Files;
using LstmWorkers.Data;
using LstmWorkers.Hosting.Broker;
using MassTransit;

namespace LstmWorkers.Coordinator.Cluster;

/// <summary>Accepts a submitted job (idempotent by job id) after checking its size, paths, options and, for a new dataset job, its output directory, or rejects it.</summary>
public sealed class SubmitEncodeJobConsumer(JobStore store, DataRoots roots, JobScheduler scheduler) : IConsumer<SubmitEncodeJob>
{
    /// <summary>
    /// The largest submission accepted, in bytes of its message: a job carries paths and options only,
    /// far less than this. A larger one is rejected before it is stored, so its fields never swell the
    /// replies and status reports that echo them past the broker's message size limit.
    /// </summary>
    public const int MaxSubmissionBytes = 64 * 1024;

    public async Task Consume(ConsumeContext<SubmitEncodeJob> context)
    {
        var job = context.Message;
        try
        {
            CheckSize(context.ReceiveContext.Body.Length);
            var request = JobRequests.Resolve(job, roots);
            if (request.OutputDataset && store.Find(job.JobId) is null)
            {
                await DatasetDirectory.CheckAsync(request.OutputPath, request.Overwrite, context.CancellationToken); // refused before any work
            }
        }
        catch (Exception e) when (e is ArgumentException or UnauthorizedAccessException or InputDataException)
        {
            await BrokerDeadline.ReplyAsync(context, new JobRejected { JobId = job.JobId, Reason = e.Message });
            return;
        }

        var record = store.AddIfNew(new JobRecord(job, JobState.Queued, DateTimeOffset.UtcNow));
        if (record.State == JobState.Queued)
        {
            scheduler.Enqueue(job.JobId);
        }

        await BrokerDeadline.ReplyAsync(context, new JobAccepted { JobId = job.JobId });
    }

    private static void CheckSize(long? bytes)
    {
        if (bytes > MaxSubmissionBytes)
        {
            throw new ArgumentException(
                $"the SubmitEncodeJob message is {bytes:N0} bytes, over the {MaxSubmissionBytes:N0} bytes a job submission may be: it carries paths and options only");
        }
    }
}
