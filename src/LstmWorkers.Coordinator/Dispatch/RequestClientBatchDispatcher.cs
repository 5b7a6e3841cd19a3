using LstmWorkers.Contracts.Batches;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LstmWorkers.Coordinator.Dispatch;

/// <summary>
/// Dispatches batches as MassTransit requests. A batch whose reply does not come within
/// <see cref="CoordinatorOptions.BatchTimeout"/> (a worker that died or hangs) is sent again, up to
/// <see cref="CoordinatorOptions.BatchAttempts"/> times; a late duplicate reply is simply dropped.
/// </summary>
public sealed partial class RequestClientBatchDispatcher(
    IRequestClient<EncodeBatch> client,
    IOptions<CoordinatorOptions> options,
    ILogger<RequestClientBatchDispatcher> logger) : IBatchDispatcher
{
    public async Task<BatchEncoded> DispatchAsync(EncodeBatch batch, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                var response = await client.GetResponse<BatchEncoded, BatchFailed>(batch, cancellationToken, RequestTimeout.After(ms: (int)settings.BatchTimeout.TotalMilliseconds));
                if (response.Is(out Response<BatchEncoded>? encoded))
                {
                    return encoded.Message;
                }

                response.Is(out Response<BatchFailed>? failed);
                throw new BatchFailedException($"{Describe(batch)} failed: {failed!.Message.Reason}");
            }
            catch (RequestTimeoutException e) when (attempt < settings.BatchAttempts)
            {
                LogTimeout(batch.JobId, batch.WindowIndex, batch.BatchIndex, attempt, e.Message);
            }
            catch (RequestTimeoutException e)
            {
                throw new BatchFailedException($"{Describe(batch)} got no result in {attempt} attempts of {settings.BatchTimeout}", e);
            }
            catch (RequestFaultException e)
            {
                string reason = e.Fault?.Exceptions.FirstOrDefault()?.Message ?? e.Message;
                throw new BatchFailedException($"{Describe(batch)} failed on the worker after its retries: {reason}", e);
            }
        }
    }

    private static string Describe(EncodeBatch batch) =>
        $"batch {batch.BatchIndex} of window {batch.WindowIndex} (rows {RowList(batch.Rows)})";

    private static string RowList(long[] rows)
    {
        var sorted = rows.Order().ToArray();
        return sorted.Length <= 8 ? string.Join(", ", sorted) : $"{string.Join(", ", sorted[..8])}, … ({sorted.Length} rows)";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} window {WindowIndex} batch {BatchIndex}: no result after attempt {Attempt} ({Reason}); sending it again")]
    private partial void LogTimeout(Guid jobId, int windowIndex, int batchIndex, int attempt, string reason);
}
