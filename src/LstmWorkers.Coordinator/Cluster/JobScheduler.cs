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
/// <see cref="RecordPollInterval"/>: a cancel that another coordinator recorded stops it. It publishes progress (at most
/// once a second) and the final <see cref="JobCompleted"/> or <see cref="JobFailed"/>.
/// </summary>
public sealed partial class JobScheduler(
    JobStore store,
    DataRoots roots,
    EncodeJob encoder,
    PayloadStore payloads,
    IBus bus,
    ILogger<JobScheduler> logger) : BackgroundService
{
    /// <summary>How often unfinished jobs that no coordinator runs are looked for.</summary>
    public static readonly TimeSpan TakeoverInterval = TimeSpan.FromSeconds(3);

    /// <summary>How often a running job's record is read for a cancel recorded elsewhere.</summary>
    public static readonly TimeSpan RecordPollInterval = TimeSpan.FromSeconds(1);

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

        store.Update(jobId, r => r with { State = JobState.Cancelled, Reason = "cancelled on request" });
        if (_cancellations.TryGetValue(jobId, out var cancellation))
        {
            cancellation.Cancel();
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
            if (store.Find(jobId) is not { State: JobState.Queued or JobState.Running })
            {
                continue;
            }

            using var taken = store.TryTakeJob(jobId);
            if (taken is not null && store.Find(jobId) is { State: JobState.Queued or JobState.Running } record) // not finished meanwhile
            {
                if (record.State == JobState.Running)
                {
                    LogResuming(jobId, record.State.ToString());
                }

                await RunAsync(record, stoppingToken);
            }
        }
    }

    /// <summary>Queues, now and every <see cref="TakeoverInterval"/>, the unfinished jobs of the state directory (those
    /// another coordinator runs are skipped when their turn comes: their run lock is held).</summary>
    private async Task TakeOverAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TakeoverInterval);
        do
        {
            foreach (var record in store.All.Where(r => !r.State.IsFinished() && !_cancellations.ContainsKey(r.Request.JobId)))
            {
                Enqueue(record.Request.JobId);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result, TaskScheduler.Default));
    }

    /// <summary>Cancels <paramref name="cancellation"/> once the job's record says it finished (cancelled by another coordinator).</summary>
    private async Task WatchRecordAsync(Guid jobId, CancellationTokenSource cancellation)
    {
        using var timer = new PeriodicTimer(RecordPollInterval);
        while (await timer.WaitForNextTickAsync(cancellation.Token).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result, TaskScheduler.Default))
        {
            if (store.Find(jobId) is { } record && record.State.IsFinished())
            {
                await cancellation.CancelAsync();
                return;
            }
        }
    }

    /// <summary>
    /// Runs one job to its end, into the output its request names: a dataset of parts (parts committed by an earlier run
    /// are kept and skipped), or one file whose windows are kept in the state directory to resume. The job runs on a
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
        Task<EncodeJobSummary>? run = null;
        Task? watch = null;
        try
        {
            store.Update(jobId, r => r with { State = JobState.Running });
            watch = WatchRecordAsync(jobId, cancellation);
            run = Task.Run(async () =>
            {
                var request = JobRequests.Resolve(record.Request, roots);
                output = request.OutputDataset
                    ? await DatasetOutput.OpenAsync(request.OutputPath, request.RowsPerPart, request.Overwrite, cancellation.Token)
                    : new CheckpointedFileOutput(request.OutputPath, store.WindowDirectory(jobId));
                return await encoder.RunAsync(jobId, request, output, progress, cancellation.Token);
            }, CancellationToken.None);
            var summary = await run.WaitAsync(cancellation.Token);
            store.Update(jobId, r => r with
            {
                State = JobState.Completed, RowsDone = summary.Rows, TokensDone = summary.Tokens, ElapsedSeconds = summary.Elapsed.TotalSeconds,
                TotalLength = summary.TotalLength, Batches = summary.Batches, Devices = summary.Devices.ToArray(),
            });
            await PublishAsync(new JobCompleted
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
            _ = run?.ContinueWith(_ => Discard(jobId, output), TaskScheduler.Default);
            await PublishAsync(new JobFailed { JobId = jobId, Reason = "cancelled on request" });
        }
        catch (Exception e)
        {
            LogFailed(jobId, e.Message);
            store.Update(jobId, r => r with { State = JobState.Failed, Reason = e.Message });
            Discard(jobId, output);
            await PublishAsync(new JobFailed { JobId = jobId, Reason = e.Message });
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

    /// <summary>Removes what a failed or cancelled job left: its output in progress, and its windows.</summary>
    private void Discard(Guid jobId, IJobOutput? output)
    {
        output?.Discard();
        store.DeleteWindows(jobId);
    }

    /// <summary>Publishes a job event. The job's outcome is already in the store (what status requests read),
    /// so an event lost to a broker outage is logged, not allowed to change that outcome or hold up the next job.</summary>
    private async Task PublishAsync<T>(T message) where T : class
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
