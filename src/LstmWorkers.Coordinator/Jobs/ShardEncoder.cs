using System.Collections.Concurrent;
using LstmWorkers.Contracts.Batches;
using LstmWorkers.Contracts.Payloads;
using LstmWorkers.Coordinator.Dispatch;
using LstmWorkers.Coordinator.Planning;
using LstmWorkers.Data.Input;

namespace LstmWorkers.Coordinator.Jobs;

/// <summary>
/// Encodes the shards of one job, each into the sink it is given: reads the shard's rows window by window — sort by
/// length, cut packed batches, dispatch them to workers, put the results back in input order, pad to T — and writes
/// each window to the sink, then completes it. At most <see cref="CoordinatorOptions.WindowsInFlight"/> windows are
/// encoded while the oldest is written, so memory follows the windows, not the shard. Windows are numbered across the
/// shards this encoder runs (<see cref="EncodeBatch.WindowIndex"/>), and each batch names its shard
/// (<see cref="EncodeBatch.ShardIndex"/>); payloads go into the template's <see cref="EncodeBatch.PayloadFolder"/>. Not thread-safe: one shard at a time.
/// </summary>
internal sealed class ShardEncoder(
    DatasetReader reader,
    JobShape shape,
    EncodeBatch template,
    IBatchDispatcher dispatcher,
    PayloadStore payloads,
    CoordinatorOptions settings,
    int batchTokens)
{
    private readonly ConcurrentDictionary<string, bool> _devices = new();
    private int _windows;

    /// <summary>The devices the workers reported, so far.</summary>
    public IReadOnlyList<string> Devices => _devices.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <param name="metadata">The shard's key-value metadata, given its longest row (T when the job did not know it before).</param>
    /// <param name="written">Called with the rows and tokens of each window once it is written.</param>
    public async Task<ShardTally> RunAsync(Shard shard, IWindowSink sink, Func<int, IReadOnlyDictionary<string, string>> metadata,
        Action<int, long> written, CancellationToken cancellationToken)
    {
        long tokens = 0;
        int batches = 0, longest = 0;
        var windows = new List<WindowSpan>();
        using var failure = new JobFailure(cancellationToken);
        var queue = new WindowQueue(sink, settings.WindowsInFlight, settings.WindowBytes, written, failure.Token);
        try
        {
            await foreach (var window in reader.ReadAsync(shard.Rows, failure.Token))
            {
                var span = new WindowSpan(_windows++, window.FirstRow, window.Count);
                windows.Add(span);
                tokens += window.TotalSteps;
                longest = Math.Max(longest, window.Count == 0 ? 0 : window.Lengths.Max());
                if (sink.HasWindow(span))
                {
                    await queue.AddAsync(Task.FromResult(new FinishedWindow(span, null, window.TotalSteps)));
                    continue;
                }

                var plan = BatchPlanner.Plan(window.Lengths, settings.MaxBatchRows, batchTokens);
                batches += plan.Count;
                await queue.AddAsync(EncodeWindowAsync(template with { ShardIndex = shard.Index, WindowIndex = span.Index }, span, window, plan, failure));
            }

            await queue.DrainAsync();
        }
        catch
        {
            await failure.CancelAsync();
            await queue.AbandonAsync();
            failure.ThrowFirst(); // a batch's error, rather than the cancellation it caused elsewhere
            throw;
        }

        await sink.CompleteAsync(windows, shard.Rows.Count, metadata(longest), cancellationToken);
        return new ShardTally(shard.Rows.Count, tokens, longest, batches);
    }

    private async Task<FinishedWindow> EncodeWindowAsync(EncodeBatch template, WindowSpan span, RowChunk window, IReadOnlyList<PlannedBatch> plan,
        JobFailure failure)
    {
        var results = new WindowResults(window, shape);
        var cancellationToken = failure.Token;
        // Batches are packed at once but sent one after another in the plan's order, longest rows first: workers take
        // them in that order, so the longest run first and the shortest fill the window's end, rather than a long one
        // running alone there.
        var batches = new Task[plan.Count];
        var previous = Task.CompletedTask;
        for (int index = 0; index < plan.Count; index++)
        {
            var turn = new SendTurn(previous, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            batches[index] = FailJobOnError(
                EncodeBatchAsync(template with { BatchIndex = index }, window, plan[index], turn, results, cancellationToken), failure);
            previous = turn.Sent.Task;
        }

        await Task.WhenAll(batches);
        window.Release(); // every batch was packed from it and has its results: the next window reuses its memory
        return new FinishedWindow(span, results.ToChunk(), window.TotalSteps);
    }

    private static async Task FailJobOnError(Task batch, JobFailure failure)
    {
        try
        {
            await batch;
        }
        catch (Exception e) when (e is not OperationCanceledException && !failure.Token.IsCancellationRequested)
        {
            failure.Record(e); // the job's first error; what fails after the job was cancelled is a consequence
            throw;
        }
    }

    private async Task EncodeBatchAsync(EncodeBatch template, RowChunk window, PlannedBatch batch, SendTurn turn, WindowResults results,
        CancellationToken cancellationToken)
    {
        EncodeBatch message;
        Task<BatchEncoded> reply;
        try
        {
            message = await BatchMessages.CreateAsync(template, window, batch, payloads, cancellationToken);
            await turn.Previous;
            reply = await dispatcher.SendAsync(message, cancellationToken);
        }
        finally
        {
            turn.Sent.TrySetResult(); // also when this batch failed: the next one goes
        }

        var encoded = await reply;
        results.Add(batch, await BatchResults.ReadAsync(encoded, payloads, cancellationToken));
        foreach (var payload in new[] { message.Tokens, message.Features, encoded.Output, encoded.HiddenState, encoded.CellState, encoded.PooledMean, encoded.PooledMax })
        {
            payloads.Delete(payload);
        }

        _devices.TryAdd(encoded.Device, true);
    }

    /// <summary>A batch's place in the send order: it goes out once <see cref="Previous"/> has, then completes <see cref="Sent"/>.</summary>
    private sealed record SendTurn(Task Previous, TaskCompletionSource Sent);
}
