using LstmWorkers.Cli.Tests.Support;

namespace LstmWorkers.Cli.Tests.Cluster;

/// <summary>
/// Dataset jobs (contract §6) through a real RabbitMQ: the dataset holds the embedded run's rows, and a coordinator killed
/// mid-job resumes it, keeping the parts it had committed. Four copies of the sample, 8,000 rows, <c>--outputs h_n</c>.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class DatasetClusterTests : ClusterTest
{
    private const int Copies = 4, Rows = Copies * 2000;

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
        StartCoordinator();
        StartWorker();
        StartWorker();
        await WaitUntilReadyAsync();
        string input = InputCopies(Copies);
        string dataset = Data.File("cluster") + "/";

        var client = Lstmw.RunAsync("encode", input, "--model", Model, "--out", dataset, "--outputs", "h_n", "--rows-per-part", "1000",
            "--broker", Broker);
        int rowsDone = await WaitForRowsDoneAsync(Rows, atLeast: 2500);
        Assert.Empty(Directory.EnumerateFiles(dataset, "part-*"));
        Roles[0].Kill();
        var restarted = StartCoordinator(new Dictionary<string, string> { ["LSTMW_Logging__LogLevel__LstmWorkers"] = "Information" });
        var result = await client;

        Assert.True(rowsDone < Rows, $"the job had finished ({rowsDone} rows) before its coordinator was killed");
        Assert.True(result.ExitCode == 0, result + Logs());
        Assert.Contains("was committed by an earlier run; skipped", restarted.Log);
        var (all, partRows) = await EncodedDataset.ReadAsync(dataset);
        Assert.Equal(Enumerable.Repeat(1000, 8), partRows);
        EncodedDataset.AssertSameRows(await EmbeddedAsync(input, "h_n"), all);
    }

    private async Task<EncodedFile> EmbeddedAsync(string input, string outputs)
    {
        string embedded = Data.File("embedded.parquet");
        var result = await Lstmw.RunAsync(Settings, "encode", input, "--model", Model, "--out", embedded, "--outputs", outputs, "--device", "cpu");
        Assert.True(result.ExitCode == 0, result.ToString());
        return await EncodedFile.ReadAsync(embedded);
    }
}
