using System.Diagnostics;
using LstmWorkers.Contracts.Batches;
using LstmWorkers.Contracts.Payloads;
using LstmWorkers.Core.Files;
using LstmWorkers.Core.Lstm;
using LstmWorkers.Core.Models;
using LstmWorkers.Hosting.Broker;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LstmWorkers.Worker;

/// <summary>
/// Runs one <see cref="EncodeBatch"/> on this worker's backend and replies <see cref="BatchEncoded"/>,
/// or <see cref="BatchFailed"/> when no retry could succeed (a model outside the worker's data roots, missing or changed,
/// data that does not fit the model, a job that ended: its payload folder is gone, so the results are not kept).
/// Other errors propagate so the endpoint's retry policy applies.
/// </summary>
public sealed partial class EncodeBatchConsumer(ModelCache models, BatchThreads threads, PayloadStore payloads, WorkerMetrics metrics,
    IOptions<WorkerOptions> options, ILogger<EncodeBatchConsumer> logger)
    : IConsumer<EncodeBatch>
{
    private readonly DataRoots _roots = new(options.Value.DataRoots.Length > 0 ? options.Value.DataRoots : [Directory.GetCurrentDirectory()], "worker");

    public async Task Consume(ConsumeContext<EncodeBatch> context)
    {
        var message = context.Message;
        var queueWait = context.SentTime is { } sent ? DateTime.UtcNow - sent : TimeSpan.Zero;
        var stopwatch = Stopwatch.StartNew();
        var folder = message.PayloadFolder == Guid.Empty ? message.JobId : message.PayloadFolder;
        BatchEncoded reply;
        try
        {
            string modelPath = _roots.ResolveFile(message.ModelPath, "model");
            var batch = await ToBatchAsync(message, context.CancellationToken);
            // The LSTM runs on a batch thread: run inline, it would hold the transport's delivery loop, and the
            // endpoint would get its next batch only when this one is done, whatever its concurrency limit.
            var result = await threads.RunAsync(() => models.Run(modelPath, message.ModelSha256, batch, context.CancellationToken),
                context.CancellationToken);
            reply = new BatchEncoded
            {
                JobId = message.JobId,
                ShardIndex = message.ShardIndex,
                WindowIndex = message.WindowIndex,
                BatchIndex = message.BatchIndex,
                Output = result.Output is null ? null : await payloads.PutAsync(folder, result.Output, context.CancellationToken),
                HiddenState = await payloads.PutAsync(folder, result.HiddenState, context.CancellationToken),
                CellState = await payloads.PutAsync(folder, result.CellState, context.CancellationToken),
                PooledMean = result.PooledMean is null ? null : await payloads.PutAsync(folder, result.PooledMean, context.CancellationToken),
                PooledMax = result.PooledMax is null ? null : await payloads.PutAsync(folder, result.PooledMax, context.CancellationToken),
                Device = models.Device,
                ElapsedMilliseconds = stopwatch.Elapsed.TotalMilliseconds,
            };
        }
        catch (Exception e) when (e is ModelFormatException or ArgumentException or InvalidDataException)
        {
            LogFailed(message.JobId, message.WindowIndex, message.BatchIndex, e.Message);
            metrics.Failed(models.Device);
            await ReplyAsync(context, new BatchFailed
            {
                JobId = message.JobId,
                ShardIndex = message.ShardIndex,
                WindowIndex = message.WindowIndex,
                BatchIndex = message.BatchIndex,
                Reason = e.Message,
            });
            return;
        }

        metrics.Encoded(models.Device, message.BatchSizes.Sum(), queueWait, stopwatch.Elapsed);
        await ReplyAsync(context, reply);
    }

    private async Task ReplyAsync<T>(ConsumeContext<EncodeBatch> context, T reply) where T : class
    {
        try
        {
            await BrokerDeadline.ReplyAsync(context, reply);
        }
        catch (TimeoutException e)
        {
            // The reply is stuck in a broker restart, which closed the channel this batch came on: the broker gives the
            // batch to a worker again (and the coordinator sends it again if not). Failing here would fail the job.
            LogReplyLost(context.Message.JobId, context.Message.WindowIndex, context.Message.BatchIndex, e.Message);
        }
    }

    private async Task<LstmBatch> ToBatchAsync(EncodeBatch message, CancellationToken cancellationToken) =>
        new(message.Rows.Length, message.BatchSizes,
            message.Tokens is null ? null : await payloads.GetAsync<int>(message.Tokens, cancellationToken),
            message.Features is null ? null : await payloads.GetAsync<float>(message.Features, cancellationToken))
        {
            NeedOutput = message.NeedOutput,
            Pooling = (message.NeedPooledMean ? LstmPooling.Mean : LstmPooling.None) | (message.NeedPooledMax ? LstmPooling.Max : LstmPooling.None),
        };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} window {WindowIndex} batch {BatchIndex}: reply not sent ({Reason}); the batch will be done again")]
    private partial void LogReplyLost(Guid jobId, int windowIndex, int batchIndex, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} window {WindowIndex} batch {BatchIndex} failed: {Reason}")]
    private partial void LogFailed(Guid jobId, int windowIndex, int batchIndex, string reason);
}
