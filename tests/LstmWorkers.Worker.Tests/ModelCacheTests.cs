using LstmWorkers.Core.Lstm;
using LstmWorkers.Core.Models;
using LstmWorkers.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace LstmWorkers.Worker.Tests;

public sealed class ModelCacheTests : IDisposable
{
    private readonly string _modelPath = Path.Combine(Path.GetTempPath(), $"lstmw-cache-{Guid.NewGuid():N}.safetensors");

    public ModelCacheTests() => SafeTensorsBuilder.RandomLstm(3, 5).WriteTo(_modelPath);

    [Fact]
    public void Get_after_Preload_returns_the_prepared_runner_without_reading_the_file_again()
    {
        var backend = new CountingBackend();
        using var cache = new ModelCache(backend, NullLogger<ModelCache>.Instance);
        var model = LstmModel.Load(_modelPath);

        cache.Preload(model);
        File.Delete(_modelPath); // a second read would fail

        var runner = cache.Get(_modelPath, model.Sha256);
        Assert.Same(model, runner.Model);
        Assert.Equal(1, backend.Loads);
    }

    [Fact]
    public void Preload_of_a_model_the_backend_refuses_does_not_throw_and_the_first_batch_gets_the_error()
    {
        var backend = new CountingBackend { Refuse = true };
        using var cache = new ModelCache(backend, NullLogger<ModelCache>.Instance);
        var model = LstmModel.Load(_modelPath);

        cache.Preload(model);

        var error = Assert.Throws<ArgumentException>(() => cache.Get(_modelPath, model.Sha256));
        Assert.Equal("refused", error.Message);
        Assert.Equal(2, backend.Loads); // the failed preparation was not kept: the batch tried again
    }

    public void Dispose() => File.Delete(_modelPath);

    private sealed class CountingBackend : ILstmBackend
    {
        private int _loads;

        public bool Refuse { get; init; }

        public int Loads => _loads;

        public string Device => "counting";

        public ILstmRunner Load(LstmModel model)
        {
            Interlocked.Increment(ref _loads);
            return Refuse ? throw new ArgumentException("refused") : new ReferenceLstmRunner(model);
        }
    }
}
