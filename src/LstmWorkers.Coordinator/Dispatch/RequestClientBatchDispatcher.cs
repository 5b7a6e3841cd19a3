using System.Diagnostics;
using LstmWorkers.Contracts;
using LstmWorkers.Contracts.Batches;
using LstmWorkers.Hosting.Broker;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LstmWorkers.Coordinator.Dispatch;

/// <summary>
/// Dispatches batches as MassTransit requests; <see cref="SendAsync"/> returns once the request has left. A batch whose
/// reply does not come within <see cref="CoordinatorOptions.BatchTimeout"/> (a worker that died or hangs) is sent again,
/// up to <see cref="CoordinatorOptions.BatchAttempts"/> times; a late duplicate reply is simply dropped.
/// While the broker is unreachable (restarting, say) the batch is retried every second, for up to
/// five minutes. A batch refused for its size (<see cref="MessageTooLargeException"/>) fails at once:
/// it would be refused again on every try.
/// </summary>
public sealed partial class RequestClientBatchDispatcher(
    IClientFactory clients,
    IOptions<CoordinatorOptions> options,
    DispatchMetrics metrics,
    ILogger<RequestClientBatchDispatcher> logger) : IBatchDispatcher
{
    private static readonly TimeSpan BrokerOutageLimit = TimeSpan.FromMinutes(5);
    private readonly IRequestClient<EncodeBatch> _client = clients.CreateRequestClient<EncodeBatch>();

    public async Task<Task<BatchEncoded>> SendAsync(EncodeBatch batch, CancellationToken cancellationToken)
    {
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var result = RequestAsync(batch, sent, cancellationToken);
        await Task.WhenAny(sent.Task, result); // sent, or failed before it could be
        return result;
    }

    private async Task<BatchEncoded> RequestAsync(EncodeBatch batch, TaskCompletionSource sent, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        Stopwatch? outage = null;
        var started = Stopwatch.StartNew();
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                // The send gets BrokerDeadline.Send to be taken by the broker (it can otherwise wait for ever in a broker
                // restart, its token unheeded); once it has left, the request waits for its reply under MassTransit's
                // timeout alone. A request whose send ended in a fault or a cancellation gets no reply: it is sent again.
                using var sendDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                sendDeadline.CancelAfter(BrokerDeadline.Send);
                using var request = _client.Create(batch, sendDeadline.Token, RequestTimeoutFor(settings.BatchTimeout));
                var encoded = request.GetResponse<BatchEncoded>(false);
                var failed = request.GetResponse<BatchFailed>();
                var first = Task.WhenAny(request.Message, encoded, failed);
                await BrokerDeadline.WaitAsync(first, BrokerDeadline.Send, cancellationToken);
                await await first; // a send that failed or was cancelled throws here, to be sent again
                sendDeadline.CancelAfter(System.Threading.Timeout.InfiniteTimeSpan);
                sent.TrySetResult();
                await await Task.WhenAny(encoded, failed); // a timeout, fault or lost connection fails both
                if (encoded.IsCompletedSuccessfully)
                {
                    metrics.Completed(started.Elapsed, batch.BatchSizes.Sum());
                    return (await encoded).Message;
                }

                metrics.Failed();
                throw new BatchFailedException($"{Describe(batch)} failed: {(await failed).Message.Reason}");
            }
            catch (RequestTimeoutException e) when (attempt < settings.BatchAttempts)
            {
                LogTimeout(batch.JobId, batch.WindowIndex, batch.BatchIndex, attempt, e.Message);
                metrics.Resent("timeout");
            }
            catch (RequestTimeoutException e)
            {
                metrics.Failed();
                throw new BatchFailedException($"{Describe(batch)} got no result in {attempt} attempts of {settings.BatchTimeout}", e);
            }
            catch (RequestFaultException e)
            {
                string reason = e.Fault?.Exceptions.FirstOrDefault()?.Message ?? e.Message;
                metrics.Failed();
                throw new BatchFailedException($"{Describe(batch)} failed on the worker after its retries: {reason}", e);
            }
            catch (Exception e) when (MessageTooLargeException.FindIn(e) is { } refusal)
            {
                metrics.Failed();
                throw new BatchFailedException($"{Describe(batch)} cannot be sent: {refusal.Message}", e);
            }
            catch (Exception e) when (e is not BatchFailedException && !cancellationToken.IsCancellationRequested
                                      && (outage ??= Stopwatch.StartNew()).Elapsed < BrokerOutageLimit)
            {
                // The request could not be sent, or not within its deadline, or its reply was lost with the connection:
                // the broker is unreachable or restarting. Send it again once it is back.
                LogBrokerUnreachable(batch.JobId, batch.WindowIndex, batch.BatchIndex, e.Message);
                metrics.Resent("broker");
                attempt--;
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    /// <summary>
    /// MassTransit's timeout for a batch request. A request without one gets MassTransit's default of 30 s, so "as long as
    /// it takes" (<see cref="Timeout.InfiniteTimeSpan"/>) is the longest it accepts, 24.8 days.
    /// </summary>
    internal static RequestTimeout RequestTimeoutFor(TimeSpan timeout) => RequestTimeout.After(ms: (int)Math.Min(int.MaxValue,
        timeout == System.Threading.Timeout.InfiniteTimeSpan ? double.MaxValue : timeout.TotalMilliseconds));

    private static string Describe(EncodeBatch batch) =>
        $"batch {batch.BatchIndex} of window {batch.WindowIndex} of shard {batch.ShardIndex} (rows {RowList(batch.Rows)})";

    private static string RowList(long[] rows)
    {
        var sorted = rows.Order().ToArray();
        return sorted.Length <= 8 ? string.Join(", ", sorted) : $"{string.Join(", ", sorted[..8])}, … ({sorted.Length} rows)";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} window {WindowIndex} batch {BatchIndex}: broker unreachable ({Reason}); retrying")]
    private partial void LogBrokerUnreachable(Guid jobId, int windowIndex, int batchIndex, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} window {WindowIndex} batch {BatchIndex}: no result after attempt {Attempt} ({Reason}); sending it again")]
    private partial void LogTimeout(Guid jobId, int windowIndex, int batchIndex, int attempt, string reason);
}
