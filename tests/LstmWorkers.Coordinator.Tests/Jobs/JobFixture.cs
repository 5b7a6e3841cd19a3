using LstmWorkers.Contracts.Payloads;
using LstmWorkers.Coordinator.Dispatch;
using LstmWorkers.Coordinator.Jobs;
using LstmWorkers.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LstmWorkers.Coordinator.Tests.Jobs;

/// <summary>An <see cref="EncodeJob"/> over the e2e_tokens fixture in batches of at most 4 rows, writing to a temporary directory.</summary>
public sealed class JobFixture : IDisposable
{
    public string ModelPath { get; } = Fixtures.PathOf("models/e2e_tokens.safetensors");

    /// <summary>The output file; its directory is removed on dispose.</summary>
    public string OutputPath { get; } = Path.Combine(Path.GetTempPath(), $"lstmw-job-{Guid.NewGuid():N}", "out.parquet");

    public EncodeJobRequest Request => new()
    {
        Input = Fixtures.PathOf("datasets/e2e_tokens.duckdb.parquet"),
        ModelPath = ModelPath,
        OutputPath = OutputPath,
    };

    public static EncodeJob Job(IBatchDispatcher dispatcher, PayloadStore payloads, int windowRows = 16_384) =>
        new(dispatcher, payloads, Options.Create(new CoordinatorOptions { MaxBatchRows = 4, WindowRows = windowRows }), NullLogger<EncodeJob>.Instance);

    public void Dispose()
    {
        string directory = Path.GetDirectoryName(OutputPath)!;
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
