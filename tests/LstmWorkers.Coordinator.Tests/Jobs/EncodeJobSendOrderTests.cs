using LstmWorkers.Contracts.Batches;
using LstmWorkers.Contracts.Payloads;
using LstmWorkers.Coordinator.Dispatch;
using LstmWorkers.Coordinator.Jobs;
using LstmWorkers.Core.Models;

namespace LstmWorkers.Coordinator.Tests.Jobs;

public sealed class EncodeJobSendOrderTests : IDisposable
{
    private readonly JobFixture _fixture = new();

    [Fact]
    public async Task Batches_are_sent_one_after_another_in_the_plans_order_longest_rows_first()
    {
        var payloads = PayloadStore.InProcess();
        var dispatcher = new SlowSendDispatcher(payloads, _fixture.ModelPath);
        var job = JobFixture.Job(dispatcher, payloads);

        await job.RunAsync(Guid.NewGuid(), _fixture.Request, new FileOutput(_fixture.OutputPath), null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        var sends = dispatcher.Sends;
        Assert.True(sends.Count > 3, $"only {sends.Count} batches");
        Assert.Equal(Enumerable.Range(0, sends.Count), sends.Select(s => s.Batch));
        Assert.Equal(1, dispatcher.MostAtOnce); // never two sends at once
        var longest = sends.Select(s => s.Steps).ToArray();
        Assert.Equal(longest.OrderDescending(), longest);
    }

    [Fact]
    public async Task A_batch_that_cannot_be_packed_fails_the_job_without_holding_up_the_batches_after_it()
    {
        // The first send removes the job's payload folder: every batch packed after it fails to put its tokens there.
        var payloads = new PayloadStore(Path.Combine(Path.GetDirectoryName(_fixture.OutputPath)!, "payloads"), 0);
        var job = JobFixture.Job(new SlowSendDispatcher(payloads, _fixture.ModelPath, onSend: batch => payloads.DeleteJob(batch.JobId)), payloads);

        await Assert.ThrowsAsync<InvalidDataException>(
            () => job.RunAsync(Guid.NewGuid(), _fixture.Request, new FileOutput(_fixture.OutputPath), null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));
    }

    public void Dispose() => _fixture.Dispose();

    /// <summary>Takes 0–10 ms to send each batch, records the order, and replies with zeros.</summary>
    private sealed class SlowSendDispatcher(PayloadStore payloads, string modelPath, Action<EncodeBatch>? onSend = null) : IBatchDispatcher
    {
        private readonly LstmConfig _config = LstmModel.Load(modelPath).Config;
        private readonly Lock _lock = new();
        private readonly List<(int Batch, int Steps)> _sends = [];
        private int _sending;

        public int MostAtOnce { get; private set; }

        public List<(int Batch, int Steps)> Sends
        {
            get
            {
                lock (_lock)
                {
                    return [.. _sends];
                }
            }
        }

        public async Task<Task<BatchEncoded>> SendAsync(EncodeBatch batch, CancellationToken cancellationToken)
        {
            onSend?.Invoke(batch);
            lock (_lock)
            {
                _sends.Add((batch.BatchIndex, batch.BatchSizes.Length));
                MostAtOnce = Math.Max(MostAtOnce, ++_sending);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(5 * (batch.BatchIndex % 3)), cancellationToken);
            lock (_lock)
            {
                _sending--;
            }

            return ReplyAsync(batch, cancellationToken);
        }

        private async Task<BatchEncoded> ReplyAsync(EncodeBatch batch, CancellationToken cancellationToken)
        {
            int rows = batch.Rows.Length, tokens = batch.BatchSizes.Sum(), states = _config.NumLayers * _config.NumDirections;
            return new BatchEncoded
            {
                JobId = batch.JobId,
                WindowIndex = batch.WindowIndex,
                BatchIndex = batch.BatchIndex,
                Output = await payloads.PutAsync(batch.JobId, new float[tokens * _config.NumDirections * _config.OutputSize], cancellationToken),
                HiddenState = await payloads.PutAsync(batch.JobId, new float[states * rows * _config.OutputSize], cancellationToken),
                CellState = await payloads.PutAsync(batch.JobId, new float[states * rows * _config.HiddenSize], cancellationToken),
                Device = "zeros",
            };
        }
    }
}
