using LstmWorkers.Contracts.Jobs;
using LstmWorkers.Coordinator.Cluster;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LstmWorkers.Coordinator.Tests.Cluster;

/// <summary>The all-jobs report stays bounded however many jobs the coordinator has run: every unfinished job and the
/// most recent finished ones; any job is still reported when asked for by id.</summary>
public sealed class GetJobStatusConsumerTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("lstmw-status-").FullName;

    [Fact]
    public async Task The_report_of_every_job_holds_the_unfinished_ones_and_only_the_latest_finished()
    {
        var store = new JobStore(Options.Create(new CoordinatorOptions { StateDirectory = _state }), new LogCollector<JobStore>());
        var start = DateTimeOffset.UtcNow;
        var jobs = Enumerable.Range(0, 6).Select(_ => Guid.NewGuid()).ToArray();
        store.AddIfNew(Record(jobs[0], JobState.Running, start)); // the oldest, still running
        for (int i = 1; i < jobs.Length; i++)
        {
            store.AddIfNew(Record(jobs[i], i % 2 == 0 ? JobState.Completed : JobState.Failed, start.AddMinutes(i)));
        }

        await using var provider = Provider(store, finishedJobs: 2);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        var client = harness.GetRequestClient<GetJobStatus>();

        var all = await client.GetResponse<JobStatusReport>(new GetJobStatus());
        var oldest = await client.GetResponse<JobStatusReport>(new GetJobStatus { JobId = jobs[1] });

        Assert.Equal([jobs[0], jobs[4], jobs[5]], all.Message.Jobs.Select(j => j.JobId));
        Assert.Equal([jobs[1]], oldest.Message.Jobs.Select(j => j.JobId));
    }

    public void Dispose() => Directory.Delete(_state, recursive: true);

    private static JobRecord Record(Guid jobId, JobState state, DateTimeOffset submitted) =>
        new(new SubmitEncodeJob { JobId = jobId, Input = "in.parquet", ModelPath = "m.safetensors", OutputPath = "out.parquet" }, state, submitted);

    private static ServiceProvider Provider(JobStore store, int finishedJobs)
    {
        var settings = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["StatusReportFinishedJobs"] = $"{finishedJobs}" })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(store);
        services.AddOptions<CoordinatorOptions>().Bind(settings);
        services.AddMassTransitTestHarness(bus => bus.AddConsumer<GetJobStatusConsumer>());
        return services.BuildServiceProvider(true);
    }
}
