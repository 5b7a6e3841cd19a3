using LstmWorkers.Contracts.Batches;
using LstmWorkers.Contracts.Payloads;
using LstmWorkers.Coordinator.Dispatch;
using LstmWorkers.Core.Lstm;
using LstmWorkers.Core.Models;

namespace LstmWorkers.Coordinator.Tests.Jobs;

/// <summary>A worker in the test's process: runs each batch on <see cref="LstmReference"/> with the model at its path,
/// and fails every batch of the windows <c>fails</c> picks (as a coordinator killed there would never finish them).</summary>
internal sealed class ReferenceDispatcher(PayloadStore payloads, Func<int, bool>? fails = null) : IBatchDispatcher
{
    private int _sent;

    /// <summary>Batches sent so far.</summary>
    public int Sent => _sent;

    public Task<Task<BatchEncoded>> SendAsync(EncodeBatch batch, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _sent);
        return Task.FromResult(ReplyAsync(batch, cancellationToken));
    }

    private async Task<BatchEncoded> ReplyAsync(EncodeBatch batch, CancellationToken cancellationToken)
    {
        if (fails?.Invoke(batch.WindowIndex) == true)
        {
            throw new BatchFailedException($"window {batch.WindowIndex} is lost");
        }

        var model = LstmModel.Load(batch.ModelPath);
        int[]? tokens = batch.Tokens is null ? null : await payloads.GetAsync<int>(batch.Tokens, cancellationToken);
        float[]? features = batch.Features is null ? null : await payloads.GetAsync<float>(batch.Features, cancellationToken);
        var pooling = (batch.NeedPooledMean ? LstmPooling.Mean : LstmPooling.None) | (batch.NeedPooledMax ? LstmPooling.Max : LstmPooling.None);
        var result = LstmReference.Forward(model, new LstmBatch(batch.Rows.Length, batch.BatchSizes, tokens, features) { Pooling = pooling });
        return new BatchEncoded
        {
            JobId = batch.JobId,
            WindowIndex = batch.WindowIndex,
            BatchIndex = batch.BatchIndex,
            Output = batch.NeedOutput ? await payloads.PutAsync(batch.JobId, result.Output!, cancellationToken) : null,
            HiddenState = await payloads.PutAsync(batch.JobId, result.HiddenState, cancellationToken),
            CellState = await payloads.PutAsync(batch.JobId, result.CellState, cancellationToken),
            PooledMean = result.PooledMean is null ? null : await payloads.PutAsync(batch.JobId, result.PooledMean, cancellationToken),
            PooledMax = result.PooledMax is null ? null : await payloads.PutAsync(batch.JobId, result.PooledMax, cancellationToken),
            Device = "reference",
        };
    }
}
