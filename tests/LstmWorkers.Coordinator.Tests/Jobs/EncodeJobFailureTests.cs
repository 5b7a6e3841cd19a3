using LstmWorkers.Contracts.Batches;
using LstmWorkers.Contracts.Payloads;
using LstmWorkers.Coordinator.Dispatch;
using LstmWorkers.Coordinator.Jobs;

namespace LstmWorkers.Coordinator.Tests.Jobs;

public sealed class EncodeJobFailureTests : IDisposable
{
    private readonly JobFixture _fixture = new();

    [Fact]
    public async Task A_failed_batch_fails_the_job_at_once_with_its_error_while_other_batches_still_wait_for_workers()
    {
        var job = JobFixture.Job(new OneFailingDispatcher(failingBatch: 3), PayloadStore.InProcess());

        var error = await Assert.ThrowsAsync<BatchFailedException>(
            () => job.RunAsync(Guid.NewGuid(), _fixture.Request, new FileOutput(_fixture.OutputPath), null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal("batch 3 cannot succeed", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(_fixture.OutputPath)!));
    }

    public void Dispose() => _fixture.Dispose();

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
