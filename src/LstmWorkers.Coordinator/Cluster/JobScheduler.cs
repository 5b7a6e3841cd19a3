using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using LstmWorkers.Contracts.Jobs;
using LstmWorkers.Contracts.Payloads;
using LstmWorkers.Coordinator.Datasets;
using LstmWorkers.Coordinator.Jobs;
using LstmWorkers.Core.Files;
using LstmWorkers.Hosting.Broker;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LstmWorkers.Coordinator.Cluster;

/// <summary>
/// Runs submitted jobs one after another. On start it removes what the finished jobs of the state directory may have
/// left, and every <see cref="TakeoverInterval"/> it queues the jobs held there as queued or running: a job runs on the one
/// coordinator that holds its run lock (<see cref="JobStore.TryTakeJob"/>), so coordinators sharing one state directory
/// never run a job twice, a job accepted by a busy coordinator is taken by an idle one, and a job whose coordinator was
/// killed is resumed by another (or by itself, restarted). While a job runs, its record is read every
/// <see cref="JobStore.RecordPollInterval"/>: a cancel that another coordinator recorded stops it. It publishes progress (at most
/// once a second) and the final <see cref="JobCompleted"/> or <see cref="JobFailed"/>.
/// </summary>
public sealed partial class JobScheduler(
    JobStore store,
    DataRoots roots,
    EncodeJob encoder,
    ShardedJobs sharded,
    PayloadStore payloads,
    IBus bus,
    JobEvents events,
    ILogger<JobScheduler> logger) : BackgroundService
{
    /// <summary>How often unfinished jobs that no coordinator runs are looked for.</summary>
    public static readonly TimeSpan TakeoverInterval = TimeSpan.FromSeconds(3);

    private readonly Channel<Guid> _queue = Channel.CreateUnbounded<Guid>();

    /// <summary>The jobs in <see cref="_queue"/>: a job waiting behind a long one is queued once, not at every takeover round.</summary>
    private readonly ConcurrentDictionary<Guid, bool> _queued = new();
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _cancellations = new();

    public void Enqueue(Guid jobId)
    {
        if (_queued.TryAdd(jobId, true))
        {
            _queue.Writer.TryWrite(jobId);
        }
    }

    /// <summary>Cancels a queued or running job; returns false when it had already finished.</summary>
    public bool Cancel(Guid jobId)
    {
        var record = store.Find(jobId);
        if (record is null || record.State.IsFinished())
        {
            return false;
        }

        record = store.Update(jobId, r => r with { State = JobState.Cancelled, Reason = "cancelled on request" });
        if (_cancellations.TryGetValue(jobId, out var cancellation))
        {
            cancellation.Cancel();
        }
        else if (record.ShardsPublished)
        {
            sharded.Discard(record); // the coordinators encoding its shards stop within a second, and remove their own attempts
        }

        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var record in store.All.Where(r => r.State.IsFinished()))
        {
            // what a job abandoned when cancelled leaves, when its coordinator stopped before the job returned
            payloads.DeleteJob(record.Request.JobId);
            store.DeleteWindows(record.Request.JobId);
        }

        _ = TakeOverAsync(stoppingToken);
        await foreach (var jobId in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            _queued.TryRemove(jobId, out _);
            if (store.Find(jobId) is not { State: JobState.Queued or JobState.Running, ShardsPublished: false })
            {
                continue; // finished, or run by the coordinators that take its shards
            }

            using (var taken = store.TryTakeJob(jobId))
            {
                if (taken is null || store.Find(jobId) is not { State: JobState.Queued or JobState.Running, ShardsPublished: false } record)
                {
                    continue; // another coordinator runs it, or it finished meanwhile
                }

                if (record.State == JobState.Running)
                {
                    LogResuming(jobId, record.State.ToString());
                }

                await RunAsync(record, stoppingToken);
            }

            await sharded.TryFinishAsync(jobId, stoppingToken); // a resumed dataset job whose parts were all committed already
        }
    }

    /// <summary>Queues, now and every <see cref="TakeoverInterval"/>, the unfinished jobs of the state directory (those
    /// another coordinator runs are skipped when their turn comes: their run lock is held).</summary>
    private async Task TakeOverAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TakeoverInterval);
        do
        {
            foreach (var record in store.All.Where(r => !r.State.IsFinished() && !r.ShardsPublished && !_cancellations.ContainsKey(r.Request.JobId)))
            {
                Enqueue(record.Request.JobId);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result, TaskScheduler.Default));
    }

    /// <summary>
    /// Runs one job, into the output its request names: a dataset's shards are planned and published to every coordinator
    /// (<see cref="ShardedJobs"/>, which finish the job); one file is encoded here to its end, its windows kept in the
    /// state directory to resume. The job runs on a
    /// thread of its own and is awaited until it is cancelled: a cancel returns at once, even when the job is stuck in a
    /// call that does not heed it (a read that never returns), and the next job starts; such a job is abandoned, and what
    /// it leaves is removed if it ever returns. On shutdown the job is given the host's grace to unwind (its temporary
    /// output is then removed; its windows and committed parts are kept to resume).
    /// </summary>
    private async Task RunAsync(JobRecord record, CancellationToken stoppingToken)
    {
        var jobId = record.Request.JobId;
        var cancellation = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        _cancellations[jobId] = cancellation;
        var progress = new JobProgressPublisher(jobId, store, bus);
        IJobOutput? output = null;
        Task<EncodeJobSummary?>? run = null;
        Task? watch = null;
        try
        {
            store.Update(jobId, r => r with { State = JobState.Running });
            watch = store.CancelWhenFinishedAsync(jobId, cancellation);
            run = Task.Run(async () =>
            {
                var request = JobRequests.Resolve(record.Request, roots);
                if (request.OutputDataset)
                {
                    await sharded.PlanAsync(record, request, cancellation.Token);
                    return null;
                }

                output = new CheckpointedFileOutput(request.OutputPath, store.WindowDirectory(jobId));
                return await encoder.RunAsync(jobId, request, output, progress, cancellation.Token);
            }, CancellationToken.None);
            if (await run.WaitAsync(cancellation.Token) is not { } summary)
            {
                return; // a dataset job: its shards are out (or are planned again at the next takeover)
            }

            store.Update(jobId, r => r with
            {
                State = JobState.Completed, RowsDone = summary.Rows, TokensDone = summary.Tokens, ElapsedSeconds = summary.Elapsed.TotalSeconds,
                TotalLength = summary.TotalLength, Batches = summary.Batches, Devices = summary.Devices.ToArray(),
            });
            await events.PublishAsync(new JobCompleted
            {
                JobId = jobId,
                OutputPath = summary.OutputPath,
                Rows = summary.Rows,
                Tokens = summary.Tokens,
                TotalLength = summary.TotalLength,
                Batches = summary.Batches,
                ElapsedSeconds = summary.Elapsed.TotalSeconds,
                Devices = summary.Devices.ToArray(),
            });
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await (run ?? Task.CompletedTask).ContinueWith(_ => { }, TaskScheduler.Default);
            LogInterrupted(jobId);
            throw;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // What the job left goes once it has stopped writing: at once, or when a stuck job returns (else at the next start).
            _ = run?.ContinueWith(_ => Discard(record, output), TaskScheduler.Default);
            await events.PublishAsync(new JobFailed { JobId = jobId, Reason = "cancelled on request" });
        }
        catch (Exception e)
        {
            LogFailed(jobId, e.Message);
            store.Update(jobId, r => r with { State = JobState.Failed, Reason = e.Message });
            Discard(record, output);
            await events.PublishAsync(new JobFailed { JobId = jobId, Reason = e.Message });
        }
        finally
        {
            _cancellations.TryRemove(jobId, out _);
            await cancellation.CancelAsync(); // the job has returned or is abandoned: stops the record's watch
            await (watch ?? Task.CompletedTask);
            if (run is null || run.IsCompleted)
            {
                cancellation.Dispose();
            }
            else
            {
                _ = run.ContinueWith(_ => cancellation.Dispose(), TaskScheduler.Default); // an abandoned job still holds its token
            }
        }
    }

    /// <summary>Removes what a failed or cancelled job left: its output in progress (a file's, or a dataset's), and its windows.</summary>
    private void Discard(JobRecord record, IJobOutput? output)
    {
        if (output is null)
        {
            sharded.Discard(record);
        }

        output?.Discard();
        store.DeleteWindows(record.Request.JobId);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming job {JobId} (was {State})")]
    private partial void LogResuming(Guid jobId, string state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} interrupted by shutdown; it resumes when the coordinator starts again")]
    private partial void LogInterrupted(Guid jobId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} failed: {Reason}")]
    private partial void LogFailed(Guid jobId, string reason);

    /// <summary>Records progress in the store and publishes it, at most once a second (and always at the end).</summary>
    private sealed class JobProgressPublisher(Guid jobId, JobStore store, IPublishEndpoint publisher) : IProgress<EncodeJobProgress>
    {
        private readonly Stopwatch _sinceLast = Stopwatch.StartNew();

        public void Report(EncodeJobProgress value)
        {
            if (_sinceLast.Elapsed < TimeSpan.FromSeconds(1) && value.RowsDone < value.RowsTotal)
            {
                return;
            }

            _sinceLast.Restart();
            store.Update(jobId, r => r with
            {
                RowsDone = value.RowsDone, RowsTotal = value.RowsTotal, TokensDone = value.TokensDone,
                TokensTotal = value.TokensTotal, ElapsedSeconds = value.Elapsed.TotalSeconds,
            });
            // Progress events are advisory: a lost one is replaced by the next, so the job does not wait for them.
            _ = publisher.Publish(new JobProgressed
            {
                JobId = jobId, RowsDone = value.RowsDone, RowsTotal = value.RowsTotal, TokensDone = value.TokensDone,
                TokensTotal = value.TokensTotal, ElapsedSeconds = value.Elapsed.TotalSeconds,
            }).ContinueWith(task => task.Exception, TaskContinuationOptions.OnlyOnFaulted);
        }
    }
}
