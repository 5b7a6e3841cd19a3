using System.Threading.Channels;
using LstmWorkers.Core.Lstm;
using LstmWorkers.Core.Models;
using LstmWorkers.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LstmWorkers.Worker.Tests;

public sealed class ModelCacheTests : IDisposable
{
    private static readonly LstmBatch OneStep = new(1, [1], null, new float[3]);

    private readonly string _directory = Directory.CreateTempSubdirectory("lstmw-cache-").FullName;
    private readonly TrackingBackend _backend = new();

    [Fact]
    public void Run_after_Preload_uses_the_prepared_runner_without_reading_the_file_again()
    {
        string path = ModelFile(1);
        using var cache = Cache();
        var model = LstmModel.Load(path);

        cache.Preload(model);
        File.Delete(path); // a second read would fail

        cache.Run(path, model.Sha256, OneStep, CancellationToken.None);
        Assert.Same(model, Assert.Single(_backend.Runners).Model);
    }

    [Fact]
    public void Preload_of_a_model_the_backend_refuses_does_not_throw_and_the_first_batch_gets_the_error()
    {
        string path = ModelFile(1);
        _backend.Refuse = true;
        using var cache = Cache();
        var model = LstmModel.Load(path);

        cache.Preload(model);

        var error = Assert.Throws<ArgumentException>(() => cache.Run(path, model.Sha256, OneStep, CancellationToken.None));
        Assert.Equal("refused", error.Message);
        Assert.Equal(2, _backend.Loads); // the failed preparation was not kept: the batch tried again
    }

    [Fact]
    public void Beyond_MaxCachedModels_the_least_recently_used_model_is_disposed_and_loaded_again_when_needed()
    {
        var (a, b, c) = (Model(1), Model(2), Model(3));
        using var cache = Cache(maxCachedModels: 2);

        Run(cache, a);
        Run(cache, b);
        Run(cache, a); // b is now the least recently used
        Run(cache, c);

        Assert.Equal([false, true, false], _backend.Runners.Select(r => r.Disposed));
        Run(cache, b);
        Assert.Equal(4, _backend.Loads);
        Assert.Equal([true, true, false, false], _backend.Runners.Select(r => r.Disposed)); // a went: c and b are newer
    }

    [Fact]
    public async Task A_runner_in_use_is_not_disposed_when_over_the_limit_but_once_its_batch_ends()
    {
        var (a, b) = (Model(1), Model(2));
        using var cache = Cache(maxCachedModels: 1);
        using ManualResetEventSlim gateA = new(), gateB = new();
        var (runA, runnerA) = await StartHeld(cache, a, gateA);
        var (runB, runnerB) = await StartHeld(cache, b, gateB); // two models in use, one allowed

        Assert.False(runnerA.Disposed);
        gateA.Set();
        await runA.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(runnerA.Disposed); // idle and over the limit: evicted as its batch ended
        Assert.False(runnerB.Disposed);
        gateB.Set();
        await runB.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(runnerB.Disposed); // within the limit: kept
    }

    [Fact]
    public async Task Over_the_limit_an_idle_model_is_evicted_rather_than_one_in_use()
    {
        var (a, b) = (Model(1), Model(2));
        using var cache = Cache(maxCachedModels: 1);
        using var gate = new ManualResetEventSlim();
        var (runA, runnerA) = await StartHeld(cache, a, gate);

        Run(cache, b);

        Assert.True(_backend.Runners[1].Disposed);
        Assert.False(runnerA.Disposed);
        gate.Set();
        await runA.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(runnerA.Disposed);
    }

    [Fact]
    public async Task Concurrent_runs_load_each_model_once_and_never_meet_a_disposed_runner()
    {
        var models = Enumerable.Range(1, 3).Select(Model).ToArray();
        using var cache = Cache(maxCachedModels: 2);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(thread => Task.Run(() =>
        {
            for (int i = 0; i < 50; i++)
            {
                Run(cache, models[(thread + i) % models.Length]); // a disposed runner throws
            }
        })));

        var alive = _backend.Runners.Where(r => !r.Disposed).ToArray();
        Assert.True(alive.Length <= 2, $"{alive.Length} runners alive");
        Assert.Equal(alive.Length, alive.DistinctBy(r => r.Model.Sha256).Count());
    }

    [Fact]
    public void Concurrent_first_runs_of_one_model_load_it_once()
    {
        var model = Model(1);
        using var cache = Cache();

        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 16 }, _ => Run(cache, model));

        Assert.Equal(1, _backend.Loads);
    }

    [Fact]
    public async Task A_batch_whose_model_path_is_a_fifo_fails_at_once_naming_it()
    {
        string path = SpecialFiles.Fifo(Path.Combine(_directory, "model.safetensors"));
        using var cache = Cache();

        var run = Task.Run(() => cache.Run(path, new string('0', 64), OneStep, CancellationToken.None));

        var error = await Assert.ThrowsAsync<ModelFormatException>(() => run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal($"{path}: the model file is a FIFO (named pipe), not a regular file", error.Message);
    }

    [Fact]
    public void Dispose_disposes_every_cached_runner()
    {
        var cache = Cache();
        Run(cache, Model(1));
        Run(cache, Model(2));

        cache.Dispose();

        Assert.All(_backend.Runners, r => Assert.True(r.Disposed));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private ModelCache Cache(int maxCachedModels = 4) =>
        new(_backend, Options.Create(new WorkerOptions { MaxCachedModels = maxCachedModels }), NullLogger<ModelCache>.Instance);

    private string ModelFile(int seed) => SafeTensorsBuilder.RandomLstm(3, 5, seed: seed).WriteTo(Path.Combine(_directory, $"model{seed}.safetensors"));

    private (string Path, string Sha256) Model(int seed)
    {
        string path = ModelFile(seed);
        return (path, LstmModel.Load(path).Sha256);
    }

    /// <summary>Starts a run of <paramref name="model"/> whose runner waits at <paramref name="gate"/>; returns once it waits there.</summary>
    private async Task<(Task Run, TrackingBackend.TrackingRunner Runner)> StartHeld(ModelCache cache, (string Path, string Sha256) model,
        ManualResetEventSlim gate)
    {
        _backend.Gate = gate;
        var run = Task.Run(() => Run(cache, model));
        var runner = await _backend.Started.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        _backend.Gate = null;
        return (run, runner);
    }

    private static void Run(ModelCache cache, (string Path, string Sha256) model) => cache.Run(model.Path, model.Sha256, OneStep, CancellationToken.None);

    /// <summary>Hands out runners that record their disposal, refuse to run once disposed, and can be held at a gate.</summary>
    private sealed class TrackingBackend : ILstmBackend
    {
        private readonly List<TrackingRunner> _runners = [];

        public bool Refuse { get; set; }

        public ManualResetEventSlim? Gate { get; set; }

        /// <summary>Each gated runner, as its run reaches the gate.</summary>
        public Channel<TrackingRunner> Started { get; } = Channel.CreateUnbounded<TrackingRunner>();

        public int Loads { get; private set; }

        public IReadOnlyList<TrackingRunner> Runners
        {
            get
            {
                lock (_runners)
                {
                    return [.. _runners];
                }
            }
        }

        public string Device => "tracking";

        public ILstmRunner Load(LstmModel model)
        {
            lock (_runners)
            {
                Loads++;
                if (Refuse)
                {
                    throw new ArgumentException("refused");
                }

                var runner = new TrackingRunner(model, this, Gate);
                _runners.Add(runner);
                return runner;
            }
        }

        public sealed class TrackingRunner(LstmModel model, TrackingBackend backend, ManualResetEventSlim? gate) : ILstmRunner
        {
            private volatile bool _disposed;

            public LstmModel Model { get; } = model;

            public bool Disposed => _disposed;

            public LstmBatchResult Run(LstmBatch batch, CancellationToken cancellationToken)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (gate is not null)
                {
                    backend.Started.Writer.TryWrite(this);
                    gate.Wait(TimeSpan.FromSeconds(10), cancellationToken);
                }

                var result = LstmReference.Forward(Model, batch);
                ObjectDisposedException.ThrowIf(_disposed, this);
                return result;
            }

            public void Dispose() => _disposed = true;
        }
    }
}
