using LstmWorkers.Contracts.Batches;
using LstmWorkers.Contracts.Payloads;
using LstmWorkers.Core.Lstm;
using LstmWorkers.Core.Models;
using LstmWorkers.TestSupport;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LstmWorkers.Worker.Tests;

public sealed class EncodeBatchConsumerTests : IDisposable
{
    private static readonly PayloadStore Payloads = new(null, 0);
    private readonly string _modelPath = Path.Combine(Path.GetTempPath(), $"lstmw-worker-{Guid.NewGuid():N}.safetensors");

    public EncodeBatchConsumerTests() => SafeTensorsBuilder.RandomLstm(3, 5, layers: 2, bidirectional: true).WriteTo(_modelPath);

    [Fact]
    public async Task Consume_replies_the_runner_result_for_the_packed_batch()
    {
        await using var provider = CreateProvider();
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        var model = LstmModel.Load(_modelPath);
        float[] features = Enumerable.Range(0, 3 * 3).Select(i => i / 10f).ToArray();

        var response = await harness.GetRequestClient<EncodeBatch>().GetResponse<BatchEncoded, BatchFailed>(new EncodeBatch
        {
            ModelPath = _modelPath,
            ModelSha256 = model.Sha256,
            Rows = [4, 9],
            BatchSizes = [2, 1],
            Features = await Payloads.PutAsync(Guid.Empty, features, CancellationToken.None),
        });

        Assert.True(response.Is(out Response<BatchEncoded>? encoded));
        var expected = LstmReference.Forward(model, new LstmBatch(2, [2, 1], null, features));
        float[] output = await Payloads.GetAsync<float>(encoded.Message.Output!, CancellationToken.None);
        float[] hidden = await Payloads.GetAsync<float>(encoded.Message.HiddenState, CancellationToken.None);
        TensorAssert.Close(expected.Output!, output, 1e-6, 1e-5, "output");
        TensorAssert.Close(expected.HiddenState, hidden, 1e-6, 1e-5, "h_n");
        Assert.StartsWith("cpu", encoded.Message.Device);
    }

    [Fact]
    public async Task Consume_of_a_pooled_only_batch_replies_pooled_vectors_and_no_output()
    {
        await using var provider = CreateProvider();
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        var model = LstmModel.Load(_modelPath);
        float[] features = Enumerable.Range(0, 3 * 3).Select(i => i / 10f).ToArray();

        var response = await harness.GetRequestClient<EncodeBatch>().GetResponse<BatchEncoded, BatchFailed>(new EncodeBatch
        {
            ModelPath = _modelPath,
            ModelSha256 = model.Sha256,
            Rows = [4, 9],
            BatchSizes = [2, 1],
            Features = await Payloads.PutAsync(Guid.Empty, features, CancellationToken.None),
            NeedOutput = false,
            NeedPooledMean = true,
            NeedPooledMax = true,
        });

        Assert.True(response.Is(out Response<BatchEncoded>? encoded));
        var expected = LstmReference.Forward(model, new LstmBatch(2, [2, 1], null, features) { Pooling = LstmPooling.Mean | LstmPooling.Max });
        float[] mean = await Payloads.GetAsync<float>(encoded.Message.PooledMean!, CancellationToken.None);
        float[] max = await Payloads.GetAsync<float>(encoded.Message.PooledMax!, CancellationToken.None);
        Assert.Null(encoded.Message.Output);
        Assert.Equal(2 * 2 * 5, mean.Length);
        TensorAssert.Close(expected.PooledMean!, mean, 1e-6, 1e-5, "pooled_mean");
        TensorAssert.Close(expected.PooledMax!, max, 1e-6, 1e-5, "pooled_max");
    }

    [Fact]
    public async Task Consume_of_a_batch_planned_with_another_model_hash_replies_batch_failed()
    {
        await using var provider = CreateProvider();
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();

        var response = await harness.GetRequestClient<EncodeBatch>().GetResponse<BatchEncoded, BatchFailed>(new EncodeBatch
        {
            ModelPath = _modelPath,
            ModelSha256 = new string('0', 64),
            Rows = [0],
            BatchSizes = [1],
            Features = await Payloads.PutAsync(Guid.Empty, new[] { 1f, 2f, 3f }, CancellationToken.None),
        });

        Assert.True(response.Is(out Response<BatchFailed>? failed));
        Assert.Contains("the model file changed", failed.Message.Reason);
    }

    [Fact]
    public async Task The_endpoint_runs_as_many_batches_at_once_as_the_worker_concurrency()
    {
        // Each run waits until two runs are in progress: a worker that took one batch at a time would never get there.
        var backend = new RendezvousBackend(parties: 2);
        await using var provider = CreateProvider(backend, concurrency: 2);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        var model = LstmModel.Load(_modelPath);
        var client = harness.GetRequestClient<EncodeBatch>();

        var responses = await Task.WhenAll(Enumerable.Range(0, 2).Select(async row => await client.GetResponse<BatchEncoded, BatchFailed>(new EncodeBatch
        {
            ModelPath = _modelPath,
            ModelSha256 = model.Sha256,
            Rows = [row],
            BatchSizes = [1],
            Features = await Payloads.PutAsync(Guid.Empty, new[] { 1f, 2f, 3f }, CancellationToken.None),
        })));

        Assert.All(responses, response => Assert.True(response.Is(out Response<BatchEncoded>? _)));
        Assert.Equal(2, backend.MostAtOnce);
    }

    [Theory]
    [InlineData(null)] // the default root: the working directory, not the temporary directory the model is in
    [InlineData("/usr")]
    public async Task A_model_outside_the_worker_s_data_roots_fails_the_batch_before_it_is_read(string? root)
    {
        await using var provider = CreateProvider(dataRoots: root is null ? [] : [root]);

        var reason = await FailedReasonAsync(provider, _modelPath);

        Assert.Contains($"the model path '{_modelPath}' resolves to '{_modelPath}', which is outside the worker's data roots", reason);
    }

    [Fact]
    public async Task A_model_linked_from_inside_the_roots_to_a_file_outside_fails_the_batch()
    {
        string root = Directory.CreateTempSubdirectory("lstmw-worker-root-").FullName;
        string link = Path.Combine(root, "model.safetensors");
        File.CreateSymbolicLink(link, _modelPath);
        try
        {
            await using var provider = CreateProvider(dataRoots: [root]);

            var reason = await FailedReasonAsync(provider, link);

            Assert.Contains($"resolves to '{_modelPath}', which is outside the worker's data roots ({root})", reason);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task A_fifo_as_model_fails_the_batch_instead_of_blocking_the_worker()
    {
        string fifo = _modelPath + ".fifo";
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo]))
        {
            mkfifo.WaitForExit();
        }

        try
        {
            await using var provider = CreateProvider();

            var reason = await FailedReasonAsync(provider, fifo);

            Assert.Equal($"the model file '{fifo}' is a FIFO (named pipe), not a regular file", reason);
        }
        finally
        {
            File.Delete(fifo);
        }
    }

    [Fact]
    public async Task A_batch_of_a_job_that_ended_writes_no_results_to_the_payload_directory()
    {
        string directory = Directory.CreateTempSubdirectory("lstmw-worker-payloads-").FullName;
        try
        {
            await using var provider = CreateProvider(payloads: new PayloadStore(directory, inlineLimit: 0));
            var harness = provider.GetRequiredService<ITestHarness>();
            await harness.Start();
            var job = Guid.NewGuid(); // its coordinator removed the job's payload folder when the job ended

            var response = await harness.GetRequestClient<EncodeBatch>().GetResponse<BatchEncoded, BatchFailed>(new EncodeBatch
            {
                JobId = job,
                ModelPath = _modelPath,
                ModelSha256 = LstmModel.Load(_modelPath).Sha256,
                Rows = [0],
                BatchSizes = [1],
                Features = await Payloads.PutAsync(job, new[] { 1f, 2f, 3f }, CancellationToken.None),
            });

            Assert.True(response.Is(out Response<BatchFailed>? failed), "the batch's results were written");
            Assert.Contains("the job ended", failed.Message.Reason);
            Assert.Empty(Directory.EnumerateFileSystemEntries(directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_batch_naming_a_payload_folder_puts_its_results_there_and_its_shard_comes_back()
    {
        string directory = Directory.CreateTempSubdirectory("lstmw-worker-payloads-").FullName;
        try
        {
            var store = new PayloadStore(directory, inlineLimit: 0);
            await using var provider = CreateProvider(payloads: store);
            var harness = provider.GetRequiredService<ITestHarness>();
            await harness.Start();
            var attempt = Guid.NewGuid(); // one coordinator's attempt at one shard of a job that others work on too
            store.OpenJob(attempt);

            var response = await harness.GetRequestClient<EncodeBatch>().GetResponse<BatchEncoded, BatchFailed>(new EncodeBatch
            {
                JobId = Guid.NewGuid(),
                PayloadFolder = attempt,
                ShardIndex = 3,
                ModelPath = _modelPath,
                ModelSha256 = LstmModel.Load(_modelPath).Sha256,
                Rows = [0],
                BatchSizes = [1],
                Features = await Payloads.PutAsync(attempt, new[] { 1f, 2f, 3f }, CancellationToken.None),
            });

            Assert.True(response.Is(out Response<BatchEncoded>? encoded), "the batch failed");
            Assert.Equal(3, encoded.Message.ShardIndex);
            Assert.StartsWith(attempt.ToString("N") + "/", encoded.Message.HiddenState.File);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    public void Dispose() => File.Delete(_modelPath);

    /// <summary>Sends a one-row batch for the model at <paramref name="modelPath"/> and returns the reason it failed.</summary>
    private static async Task<string> FailedReasonAsync(ServiceProvider provider, string modelPath)
    {
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        var response = await harness.GetRequestClient<EncodeBatch>().GetResponse<BatchEncoded, BatchFailed>(new EncodeBatch
        {
            ModelPath = modelPath,
            ModelSha256 = new string('0', 64),
            Rows = [0],
            BatchSizes = [1],
            Features = await Payloads.PutAsync(Guid.Empty, new[] { 1f, 2f, 3f }, CancellationToken.None),
        }, timeout: RequestTimeout.After(s: 10));

        Assert.True(response.Is(out Response<BatchFailed>? failed), "the batch did not fail");
        return failed.Message.Reason;
    }

    /// <param name="dataRoots">The worker's data roots; by default the temporary directory, where the tests' models are.</param>
    /// <param name="payloads">The worker's payload store; by default everything inline.</param>
    private static ServiceProvider CreateProvider(ILstmBackend? backend = null, int concurrency = 0, string[]? dataRoots = null,
        PayloadStore? payloads = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOptions<WorkerOptions>().Configure(o =>
        {
            o.Device = "cpu";
            o.Concurrency = concurrency;
            o.DataRoots = dataRoots ?? [Path.GetTempPath()];
        });
        services.AddSingleton(backend ?? LstmBackends.Create("cpu").Backend);
        services.AddSingleton(payloads ?? Payloads);
        services.AddSingleton<ModelCache>();
        services.AddSingleton<BatchThreads>();
        services.AddSingleton<WorkerMetrics>();
        services.AddMassTransitTestHarness(bus => bus.AddLstmWorkerConsumers());
        return services.BuildServiceProvider(true);
    }
}

/// <summary>A backend whose runs each wait (up to 10 s) until <c>parties</c> runs are in progress at once.</summary>
internal sealed class RendezvousBackend(int parties) : ILstmBackend, ILstmRunner
{
    private readonly Barrier _barrier = new(parties);
    private int _running;
    private int _mostAtOnce;

    public int MostAtOnce => _mostAtOnce;

    public string Device => "rendezvous";

    public LstmModel Model { get; private set; } = null!;

    public ILstmRunner Load(LstmModel model)
    {
        Model = model;
        return this;
    }

    public LstmBatchResult Run(LstmBatch batch, CancellationToken cancellationToken)
    {
        int running = Interlocked.Increment(ref _running);
        InterlockedMax(ref _mostAtOnce, running);
        _barrier.SignalAndWait(TimeSpan.FromSeconds(10), cancellationToken);
        Interlocked.Decrement(ref _running);
        return LstmReference.Forward(Model, batch);
    }

    public void Dispose() => _barrier.Dispose();

    private static void InterlockedMax(ref int target, int value)
    {
        for (int seen = target; value > seen; seen = target)
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen)
            {
                return;
            }
        }
    }
}
