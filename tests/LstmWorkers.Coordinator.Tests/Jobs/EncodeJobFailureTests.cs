using LstmWorkers.Contracts.Batches;
using LstmWorkers.Contracts.Payloads;
using LstmWorkers.Coordinator.Dispatch;
using LstmWorkers.Coordinator.Jobs;
using LstmWorkers.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LstmWorkers.Coordinator.Tests.Jobs;

public sealed class EncodeJobFailureTests : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), $"lstmw-failure-{Guid.NewGuid():N}", "out.parquet");

    [Fact]
    public async Task A_failed_batch_fails_the_job_at_once_with_its_error_while_other_batches_still_wait_for_workers()
    {
        var job = new EncodeJob(new OneFailingDispatcher(failingBatch: 3), PayloadStore.InProcess(),
            Options.Create(new CoordinatorOptions { MaxBatchRows = 4 }), NullLogger<EncodeJob>.Instance);
        var request = new EncodeJobRequest
        {
            Input = Fixtures.PathOf("datasets/e2e_tokens.duckdb.parquet"),
            ModelPath = Fixtures.PathOf("models/e2e_tokens.safetensors"),
            OutputPath = _output,
        };

        var error = await Assert.ThrowsAsync<BatchFailedException>(
            () => job.RunAsync(Guid.NewGuid(), request, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal("batch 3 cannot succeed", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(_output)!));
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_output)!, recursive: true);

    /// <summary>Fails one batch at once; every other batch waits, as for a worker that never answers, until cancelled.</summary>
    private sealed class OneFailingDispatcher(int failingBatch) : IBatchDispatcher
    {
        public Task<Task<BatchEncoded>> SendAsync(EncodeBatch batch, CancellationToken cancellationToken) =>
            Task.FromResult(ReplyAsync(batch, cancellationToken));

        private async Task<BatchEncoded> ReplyAsync(EncodeBatch batch, CancellationToken cancellationToken)
        {
            if (batch.BatchIndex == failingBatch)
            {
                throw new BatchFailedException($"batch {failingBatch} cannot succeed");
            }

            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }
}
