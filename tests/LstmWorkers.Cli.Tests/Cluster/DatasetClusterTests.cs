using System.Text.RegularExpressions;
using LstmWorkers.Cli.Tests.Support;

namespace LstmWorkers.Cli.Tests.Cluster;

/// <summary>
/// Dataset jobs (contracts §6 and §8) through a real RabbitMQ, with one coordinator or two sharing the state directory: the
/// dataset holds the embedded run's rows; a coordinator killed mid-job loses nothing and the parts committed before are not
/// done again; the shards are spread over the coordinators. Two copies of the sample, 4,000 rows, <c>--outputs h_n</c>.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class DatasetClusterTests : ClusterTest
{
    private const int Copies = 2, Rows = Copies * 2000;

    [RabbitMqFact]
    public async Task A_dataset_through_the_broker_holds_the_embedded_runs_rows_values_and_metadata()
    {
        StartCoordinator();
        StartWorker();
        await WaitUntilReadyAsync();

        var result = await Lstmw.RunAsync("encode", Input, "--model", Model, "--out", Data.File("cluster") + "/", "--rows-per-part", "500",
            "--broker", Broker);

        Assert.True(result.ExitCode == 0, result + Logs());
        var (all, partRows) = await EncodedDataset.ReadAsync(Data.File("cluster"));
        Assert.Equal([500, 500, 500, 500], partRows);
        EncodedDataset.AssertSameRows(await EmbeddedAsync(Input, "output,h_n,c_n"), all);
    }

    [RabbitMqFact]
    public async Task A_coordinator_killed_mid_job_resumes_it_keeping_the_parts_it_had_committed()
    {
        StartCoordinator(Informative);
        StartWorker();
        StartWorker();
        await WaitUntilReadyAsync();
        string input = InputCopies(Copies);
        string dataset = Data.File("cluster") + "/";

        var client = Lstmw.RunAsync("encode", input, "--model", Model, "--out", dataset, "--outputs", "h_n", "--rows-per-part", "500",
            "--broker", Broker);
        int rowsDone = await WaitForRowsDoneAsync(Rows, atLeast: 1250);
        Assert.Empty(Directory.EnumerateFiles(dataset, "part-*"));
        Roles[0].Kill();
        // Counted on disk, once the process is gone: its log may lag its last commit, or lose it with the process.
        string committed = Path.Combine(dataset, "_temporary", "committed");
        int committedBefore = Directory.Exists(committed) ? Directory.EnumerateFiles(committed, "part-*").Count() : 0;
        var restarted = StartCoordinator(Informative);
        var result = await client;

        Assert.True(rowsDone < Rows, $"the job had finished ({rowsDone} rows) before its coordinator was killed");
        Assert.True(result.ExitCode == 0, result + Logs());
        Assert.InRange(committedBefore, 1, 7);
        Assert.Equal(8 - committedBefore, EncodedShards(restarted)); // a shard committed before the kill is not done again
        var (all, partRows) = await EncodedDataset.ReadAsync(dataset);
        Assert.Equal(Enumerable.Repeat(500, 8), partRows);
        EncodedDataset.AssertSameRows(await EmbeddedAsync(input, "h_n"), all);
    }

    [RabbitMqFact]
    public async Task Two_coordinators_share_a_job_s_shards_and_every_one_answers_its_status_alike()
    {
        var (coordinators, input, dataset, client) = await StartEightShardJobOnTwoCoordinatorsAsync();
        bool partsBeforeSuccess = false;
        while (!client.IsCompleted)
        {
            partsBeforeSuccess |= Directory.Exists(dataset) && !File.Exists(Path.Combine(dataset, "_SUCCESS"))
                && Directory.EnumerateFiles(dataset, "part-*").Any() && !Directory.Exists(Path.Combine(dataset, "_temporary", "committed"));
            await Task.Delay(50);
        }

        var result = await client;
        var statuses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Lstmw.RunAsync("status", "--broker", Broker)));

        Assert.True(result.ExitCode == 0, result + Logs());
        Assert.False(partsBeforeSuccess, "a part stood at the top of the dataset before its commit began");
        Assert.All(coordinators, c => Assert.InRange(CommittedShards(c), 1, 7)); // each took a share of the 8 shards
        Assert.Equal(8, coordinators.Sum(CommittedShards));
        Assert.All(statuses, s => Assert.Equal(statuses[0].Output, s.Output));
        Assert.Contains("Completed", statuses[0].Output);
        await AssertEightPartsOfTheEmbeddedRunAsync(input, dataset);
    }

    [RabbitMqFact]
    public Task The_first_of_two_coordinators_killed_mid_job_loses_nothing() => KillOneOfTwoCoordinatorsAsync(0);

    [RabbitMqFact]
    public Task The_second_of_two_coordinators_killed_mid_job_loses_nothing() => KillOneOfTwoCoordinatorsAsync(1);

    private async Task KillOneOfTwoCoordinatorsAsync(int doomed)
    {
        var (coordinators, input, dataset, client) = await StartEightShardJobOnTwoCoordinatorsAsync();
        int rowsDone = await WaitForRowsDoneAsync(Rows, atLeast: 1000);
        coordinators[doomed].Kill();
        var result = await client;

        Assert.True(rowsDone < Rows, $"the job had finished ({rowsDone} rows) before the coordinator was killed");
        Assert.True(result.ExitCode == 0, result + Logs());
        await AssertEightPartsOfTheEmbeddedRunAsync(input, dataset);
    }

    [RabbitMqFact]
    public async Task A_second_job_submitted_while_the_first_runs_completes_too()
    {
        StartCoordinator(Informative);
        StartCoordinator(Informative);
        StartWorker();
        StartWorker();
        await WaitUntilReadyAsync();
        string input = InputCopies(Copies);

        var first = Lstmw.RunAsync("encode", input, "--model", Model, "--out", Data.File("first") + "/", "--outputs", "h_n", "--rows-per-part", "1000",
            "--broker", Broker);
        await WaitForRowsDoneAsync(Rows, atLeast: 500);
        bool firstStillRunning = !first.IsCompleted;
        var second = await Lstmw.RunAsync("encode", Input, "--model", Model, "--out", Data.File("second") + "/", "--outputs", "h_n", "--broker", Broker);
        var firstResult = await first;

        Assert.True(second.ExitCode == 0, second + Logs());
        Assert.True(firstResult.ExitCode == 0, firstResult + Logs());
        Assert.True(firstStillRunning, "the first job had finished before the second was submitted");
        EncodedDataset.AssertSameRows(await EmbeddedAsync(input, "h_n"), (await EncodedDataset.ReadAsync(Data.File("first"))).All);
        EncodedDataset.AssertSameRows(await EmbeddedAsync(Input, "h_n"), (await EncodedDataset.ReadAsync(Data.File("second"))).All);
    }

    /// <summary>Coordinators that log each shard they commit, with batches of 64 rows rather than 16: fewer round trips, the
    /// same number of windows and shards to lose.</summary>
    /// <summary>Two coordinators and two workers, and a client encoding two copies of the sample into 8 parts of 500 rows.</summary>
    private async Task<(RoleProcess[] Coordinators, string Input, string Dataset, Task<Lstmw.Result> Client)> StartEightShardJobOnTwoCoordinatorsAsync()
    {
        var coordinators = new[] { StartCoordinator(Informative), StartCoordinator(Informative) };
        StartWorker();
        StartWorker();
        await WaitUntilReadyAsync();
        string input = InputCopies(Copies);
        string dataset = Data.File("cluster") + "/";
        var client = Lstmw.RunAsync("encode", input, "--model", Model, "--out", dataset, "--outputs", "h_n", "--rows-per-part", "500",
            "--broker", Broker);
        return (coordinators, input, dataset, client);
    }

    private async Task AssertEightPartsOfTheEmbeddedRunAsync(string input, string dataset)
    {
        var (all, partRows) = await EncodedDataset.ReadAsync(dataset);
        Assert.Equal(Enumerable.Repeat(500, 8), partRows);
        EncodedDataset.AssertSameRows(await EmbeddedAsync(input, "h_n"), all);
    }

    private static readonly Dictionary<string, string> Informative = new()
    {
        ["LSTMW_Logging__LogLevel__LstmWorkers"] = "Information",
        ["LSTMW_Coordinator__MaxBatchRows"] = "64",
    };

    /// <summary>The shards a coordinator committed, from its log.</summary>
    private static int CommittedShards(RoleProcess coordinator) => Regex.Matches(coordinator.Log, @"shard \d+ committed").Count;

    /// <summary>The shards a coordinator encoded itself: those it committed, less those it found committed by a coordinator
    /// killed before it acknowledged them.</summary>
    private static int EncodedShards(RoleProcess coordinator) =>
        CommittedShards(coordinator) - Regex.Matches(coordinator.Log, "was committed by an earlier run; skipped").Count;

    private async Task<EncodedFile> EmbeddedAsync(string input, string outputs)
    {
        string embedded = Data.File("embedded.parquet");
        var result = await Lstmw.RunAsync(Settings, "encode", input, "--model", Model, "--out", embedded, "--outputs", outputs, "--device", "cpu");
        Assert.True(result.ExitCode == 0, result.ToString());
        return await EncodedFile.ReadAsync(embedded);
    }
}
