using LstmWorkers.Cli.Tests.Support;

namespace LstmWorkers.Cli.Tests.Cluster;

/// <summary>
/// A coordinator killed mid-job and started again with other settings: the checkpoints its first run left must not be
/// taken for windows they are not. Four copies of the sample (8,000 rows, a window never spans files), <c>--outputs h_n</c>.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ResumeTests : ClusterTest
{
    private const int Parts = 4, Rows = Parts * 2000;

    [RabbitMqFact]
    public async Task A_coordinator_restarted_with_other_window_rows_writes_every_row_as_the_embedded_run_does()
    {
        StartCoordinator();
        StartWorker();
        StartWorker();
        await WaitUntilReadyAsync();
        string input = InputCopies(Parts);

        var client = Lstmw.RunAsync("encode", input, "--model", Model, "--out", Data.File("cluster.parquet"), "--outputs", "h_n", "--broker", Broker);
        int rowsDone = await WaitForRowsDoneAsync(Rows, atLeast: 3 * 250); // three windows of Settings' 250 rows
        Roles[0].Kill();
        StartCoordinator(Restarted);
        var result = await client;

        Assert.True(rowsDone < Rows, $"the job had finished ({rowsDone} rows) before its coordinator was killed");
        Assert.True(result.ExitCode == 0, result + Logs());
        var cluster = await EncodedFile.ReadAsync(Data.File("cluster.parquet"));
        var embedded = await EmbeddedAsync(input);
        Assert.Equal(Rows, cluster.Ids.Length);
        Assert.Equal(embedded.Ids, cluster.Ids);
        Assert.Equal(embedded.Lengths, cluster.Lengths);
        Assert.Equal(embedded.HiddenState, cluster.HiddenState);
    }

    /// <summary>The second coordinator's windows: 400 rows, where the first one's were 250.</summary>
    private static Dictionary<string, string> Restarted => new() { ["LSTMW_Coordinator__WindowRows"] = "400" };

    private async Task<EncodedFile> EmbeddedAsync(string input)
    {
        var settings = Settings;
        foreach (var (key, value) in Restarted)
        {
            settings[key] = value;
        }

        string embedded = Data.File("embedded.parquet");
        var result = await Lstmw.RunAsync(settings, "encode", input, "--model", Model, "--out", embedded, "--outputs", "h_n", "--device", "cpu");
        Assert.True(result.ExitCode == 0, result.ToString());
        return await EncodedFile.ReadAsync(embedded);
    }
}
