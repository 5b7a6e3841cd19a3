using System.Diagnostics;
using LstmWorkers.Contracts.Jobs;
using LstmWorkers.Contracts.Payloads;
using LstmWorkers.Coordinator.Datasets;
using LstmWorkers.Coordinator.Jobs;
using LstmWorkers.Core.Files;
using LstmWorkers.Hosting.Broker;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace LstmWorkers.Coordinator.Cluster;

/// <summary>
/// Dataset jobs spread over every coordinator of a cluster (contract §8). The coordinator that takes a job plans it
/// (<see cref="PlanAsync"/>: the shards from the input's footers, a first pass when T must be found) and publishes one
/// <see cref="EncodeShard"/> per shard not yet committed; any coordinator takes a shard (<see cref="EncodeShardAsync"/>),
/// encodes it into its part and commits it; whoever then finds every part committed finishes the job
/// (<see cref="TryFinishAsync"/>: the dataset commit, <c>_SUCCESS</c>, the record completed). The shared state directory
/// and the committed parts are the only state: a shard redelivered after its coordinator died is found committed or done
/// again (the same bytes; the first commit wins), and a finish interrupted is done again by the next one to try.
/// </summary>
public sealed partial class ShardedJobs(
    JobStore store,
    DataRoots roots,
    EncodeJob encoder,
    PayloadStore payloads,
    IBus bus,
    JobEvents events,
    ILogger<ShardedJobs> logger)
{
    /// <summary>How often shard progress is written to the job's record, at most.</summary>
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Plans a dataset job and publishes its shards; returns false, leaving the job to be planned again, when the broker
    /// did not take every shard (a restart, say). Called under the job's run lock.
    /// </summary>
    /// <exception cref="Exception">The job cannot run (bad input, model, output): the caller fails it.</exception>
    public async Task<bool> PlanAsync(JobRecord record, EncodeJobRequest request, CancellationToken cancellationToken)
    {
        var output = await DatasetOutput.OpenAsync(request.OutputPath, request.RowsPerPart, request.Overwrite, cancellationToken);
        try
        {
            return await PlanAsync(record.Request.JobId, request, output, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            output.Discard();
            throw;
        }
    }

    private async Task<bool> PlanAsync(Guid jobId, EncodeJobRequest request, DatasetOutput output, CancellationToken cancellationToken)
    {
        await using var job = await encoder.PrepareAsync(jobId, jobId, request, output, cancellationToken);
        await output.StartAsync(job.Source, cancellationToken);
        store.Update(jobId, r => r with { RowsTotal = job.RowsTotal, TokensTotal = job.TokensTotal, PlannedTotalLength = job.TotalLength });
        try
        {
            foreach (var shard in job.Shards)
            {
                var message = new EncodeShard { JobId = jobId, ShardIndex = shard.Index, Shards = job.Shards.Count };
                await BrokerDeadline.RunAsync(token => bus.Publish(message, token), BrokerDeadline.Send, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPublishFailed(jobId, e.Message);
            return false;
        }

        store.Update(jobId, r => r with { ShardsPublished = true, Shards = r.Shards ?? new ShardProgress[job.Shards.Count] });
        LogPlanned(jobId, job.Shards.Count);
        return true;
    }

    /// <summary>
    /// Encodes one shard of a job into its part and commits it, then finishes the job if every part is committed. A shard
    /// of a job that has finished is dropped; one that fails (bad data, a batch no worker could encode) fails the job. Stopped
    /// by <paramref name="cancellationToken"/> (shutdown, the broker connection lost), the shard is left to be redelivered.
    /// </summary>
    public async Task EncodeShardAsync(EncodeShard message, CancellationToken cancellationToken)
    {
        var jobId = message.JobId;
        if (store.Find(jobId) is not { State: JobState.Running } record)
        {
            return; // finished, or unknown: nothing to do
        }

        using var scope = logger.BeginScope(new Dictionary<string, object> { ["JobId"] = jobId, ["Shard"] = message.ShardIndex });
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watch = store.CancelWhenFinishedAsync(jobId, cancellation);
        DatasetOutput? output = null; // unknown until this coordinator has resolved the job's paths against its own roots
        var attempt = Guid.NewGuid(); // the payload folder of this attempt alone: another coordinator may run the same shard
        try
        {
            var request = Resolve(record);
            output = DatasetOutput.Attach(request.OutputPath, request.RowsPerPart);
            payloads.OpenJob(attempt);
            await using var job = await encoder.PrepareAsync(jobId, attempt, request, output, cancellation.Token);
            if (job.Shards.Count != message.Shards)
            {
                throw new InvalidOperationException(
                    $"the job was planned into {message.Shards} shards but this coordinator plans {job.Shards.Count}: the input or the model changed while it ran");
            }

            long rows = 0, tokens = 0;
            var sinceLast = Stopwatch.StartNew();
            void Written(long windowRows, long windowTokens)
            {
                rows += windowRows;
                tokens += windowTokens;
                if (sinceLast.Elapsed >= ProgressInterval)
                {
                    sinceLast.Restart();
                    store.Update(jobId, r => r.WithShard(message.ShardIndex, message.Shards, new ShardProgress(rows, tokens, 0, Committed: false)));
                }
            }

            var tally = await job.EncodeShardAsync(job.Shards[message.ShardIndex], Written, cancellation.Token);
            store.Update(jobId, r => r.WithShard(message.ShardIndex, message.Shards, new ShardProgress(tally.Rows, tally.Tokens, tally.Batches, Committed: true))
                with { Devices = r.Devices.Union(job.Devices).Order(StringComparer.Ordinal).ToArray() });
            LogCommitted(jobId, message.ShardIndex, tally.Rows);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The job was cancelled or failed meanwhile: what it left at the output goes.
            output?.Discard();
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException && output is { Committing: true })
        {
            // A second attempt at a shard that was committed meanwhile, failing as the finish removes _temporary: the job is done.
            LogLateAttempt(jobId, message.ShardIndex, e.Message);
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await FailAsync(jobId, e.Message, output);
            return;
        }
        finally
        {
            await cancellation.CancelAsync();
            await watch;
            payloads.DeleteJob(attempt);
        }

        await TryFinishAsync(jobId, cancellationToken);
    }

    /// <summary>
    /// Finishes a dataset job whose shards are all committed: commits the dataset (<c>_SUCCESS</c> last), completes the
    /// record and publishes <see cref="JobCompleted"/>. Does nothing while a shard is not committed, or once the job has
    /// finished; waits while another coordinator holds the job (planning it, or finishing it).
    /// </summary>
    public async Task TryFinishAsync(Guid jobId, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (store.Find(jobId) is not { State: JobState.Running, ShardsPublished: true, Shards: { } shards } || shards.Any(s => s is not { Committed: true }))
            {
                return;
            }

            using var taken = store.TryTakeJob(jobId);
            if (taken is null)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
                continue;
            }

            if (store.Find(jobId) is not { State: JobState.Running } record)
            {
                return; // finished meanwhile, by whoever held it
            }

            await FinishAsync(record, cancellationToken);
            return;
        }
    }

    /// <summary>Removes what a dataset job left in progress at its output, after it was cancelled.</summary>
    public void Discard(JobRecord record)
    {
        try
        {
            var request = Resolve(record);
            if (request.OutputDataset)
            {
                DatasetOutput.Attach(request.OutputPath, request.RowsPerPart).Discard();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            LogDiscardFailed(record.Request.JobId, e.Message);
        }
    }

    private async Task FinishAsync(JobRecord record, CancellationToken cancellationToken)
    {
        var jobId = record.Request.JobId;
        DatasetOutput? output = null;
        try
        {
            var request = Resolve(record);
            output = DatasetOutput.Attach(request.OutputPath, request.RowsPerPart);
            await using var job = await encoder.PrepareAsync(jobId, jobId, request, output, cancellationToken);
            long rows = 0, tokens = 0;
            int longest = 0;
            foreach (var shard in job.Shards)
            {
                if (await output.FindCommittedAsync(shard, cancellationToken) is not { } tally)
                {
                    // The record says committed, the part says otherwise (it was removed, or could not be read): made again.
                    store.Update(jobId, r => r.WithShard(shard.Index, job.Shards.Count, new ShardProgress(0, 0, 0, Committed: false)));
                    await BrokerDeadline.RunAsync(token => bus.Publish(new EncodeShard { JobId = jobId, ShardIndex = shard.Index, Shards = job.Shards.Count }, token),
                        BrokerDeadline.Send, cancellationToken);
                    return;
                }

                rows += tally.Rows;
                tokens += tally.Tokens;
                longest = Math.Max(longest, tally.Longest);
            }

            int totalLength = job.TotalLength ?? longest;
            await output.CompleteAsync(job.Shards, job.MetadataFor(totalLength), cancellationToken);
            var done = store.Update(jobId, r => r with
            {
                State = JobState.Completed, RowsDone = rows, TokensDone = tokens, TotalLength = totalLength,
                ElapsedSeconds = (DateTimeOffset.UtcNow - r.SubmittedAt).TotalSeconds,
            });
            LogCompleted(jobId, rows, job.Shards.Count);
            await events.PublishAsync(new JobCompleted
            {
                JobId = jobId, OutputPath = output.Path, Rows = rows, Tokens = tokens, TotalLength = totalLength, Batches = done.Batches,
                ElapsedSeconds = done.ElapsedSeconds, Devices = done.Devices,
            });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await FailAsync(jobId, e.Message, output);
        }
    }

    /// <summary>The job's request as every coordinator resolves it, with T as its planner decided it (no second first pass).</summary>
    private EncodeJobRequest Resolve(JobRecord record)
    {
        var request = JobRequests.Resolve(record.Request, roots);
        return record.PlannedTotalLength is { } planned ? request with { TotalLength = planned } : request;
    }

    /// <param name="output">The job's output as this coordinator resolved it; null when it could not (its data roots refuse
    /// the job's paths): the coordinators still encoding shards of the job then discard it, as they see the job failed.</param>
    private async Task FailAsync(Guid jobId, string reason, DatasetOutput? output)
    {
        LogFailed(jobId, reason);
        var record = store.Update(jobId, r => r.State.IsFinished() ? r : r with { State = JobState.Failed, Reason = reason });
        output?.Discard();
        if (record.Reason == reason)
        {
            await events.PublishAsync(new JobFailed { JobId = jobId, Reason = reason });
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} planned into {Shards} shards, published to the coordinators")]
    private partial void LogPlanned(Guid jobId, int shards);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: its shards could not all be published ({Reason}); it is planned again")]
    private partial void LogPublishFailed(Guid jobId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} shard {Shard} committed ({Rows} rows)")]
    private partial void LogCommitted(Guid jobId, int shard, long rows);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} shard {Shard}: a late attempt stopped as the job commits ({Reason})")]
    private partial void LogLateAttempt(Guid jobId, int shard, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} completed: {Rows} rows in {Shards} parts")]
    private partial void LogCompleted(Guid jobId, long rows, int shards);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} failed: {Reason}")]
    private partial void LogFailed(Guid jobId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: its output in progress could not be removed ({Reason})")]
    private partial void LogDiscardFailed(Guid jobId, string reason);

}
