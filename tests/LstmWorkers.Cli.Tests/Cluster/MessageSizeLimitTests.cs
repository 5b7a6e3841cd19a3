using System.Diagnostics;
using LstmWorkers.Cli.Tests.Support;
using LstmWorkers.TestSupport;

namespace LstmWorkers.Cli.Tests.Cluster;

/// <summary>
/// Messages over the configured limit (<c>BrokerMaxMessageBytes</c>) are refused before they reach the
/// broker, with an error naming the message type, its size, the limit and the remedy — at once, not
/// after minutes of resending — and a job submission larger than any real one is rejected.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class MessageSizeLimitTests : ClusterTest
{
    /// <summary>The smallest limit there is: under the sample's batches, which travel inline without a payload directory.</summary>
    private static readonly Dictionary<string, string> TinyLimitWithoutPayloadDirectory = new()
    {
        ["LSTMW_BrokerMaxMessageBytes"] = "4096",
        ["LSTMW_Payloads__Directory"] = "",
    };

    private static readonly Dictionary<string, string> WithoutPayloadDirectory = new() { ["LSTMW_Payloads__Directory"] = "" };

    [RabbitMqFact]
    public async Task Encode_on_a_coordinator_whose_batches_exceed_its_message_size_limit_fails_fast_and_leaves_nothing_behind()
    {
        StartCoordinator(TinyLimitWithoutPayloadDirectory);
        StartWorker(WithoutPayloadDirectory);
        await WaitUntilReadyAsync();

        var elapsed = Stopwatch.StartNew();
        var result = await Lstmw.RunAsync("encode", Input, "--model", Model, "--out", Data.File("cluster.parquet"), "--broker", Broker);
        elapsed.Stop();
        var status = await Lstmw.RunAsync("status", "--broker", Broker);

        Assert.True(result.ExitCode == 1, result + Logs());
        Assert.Matches(@"cannot be sent: the EncodeBatch message is [\d,]+ bytes, over the message size limit of 4,096 bytes \(BrokerMaxMessageBytes\)", result.Error);
        Assert.Contains("Payloads:Directory", result.Error);
        Assert.InRange(elapsed.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(60));
        Assert.Contains("Failed", status.Output);
        Assert.Equal(["model.safetensors", "sequences.parquet"], Directory.EnumerateFileSystemEntries(Data.Path).Select(Path.GetFileName).Order());
        Assert.Empty(Directory.EnumerateDirectories(State.Path, "*.windows", SearchOption.AllDirectories));
    }

    [RabbitMqFact]
    public async Task Encode_through_the_broker_with_a_submission_over_the_client_s_limit_fails_at_once()
    {
        var elapsed = Stopwatch.StartNew();
        var result = await Lstmw.RunAsync(new Dictionary<string, string> { ["LSTMW_BrokerMaxMessageBytes"] = "4096" },
            "encode", Input, "--model", Model, "--out", LongPath(5_000), "--broker", Broker);
        elapsed.Stop();

        Assert.Equal(1, result.ExitCode);
        Assert.Matches(@"lstmw: error: the SubmitEncodeJob message is [\d,]+ bytes, over the message size limit of 4,096 bytes", result.Error);
        Assert.DoesNotContain("still waiting", result.Error);
        Assert.InRange(elapsed.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(60));
    }

    [RabbitMqFact]
    public async Task A_python_client_s_submission_larger_than_any_job_needs_is_rejected_naming_its_size()
    {
        StartCoordinator();
        await WaitUntilReadyAsync();
        string script = Path.Combine(Fixtures.RepositoryRoot, "docs", "examples", "submit_job.py");

        var result = await Processes.RunAsync("/usr/bin/python3", script, Broker, "sequences.parquet", "model.safetensors", LongPath(70_000));

        Assert.True(result.ExitCode == 1, result + Logs());
        Assert.Matches(@"JobRejected: the SubmitEncodeJob message is [\d,]+ bytes, over the 65,536 bytes a job submission may be", result.Error);
        Assert.Empty(Directory.EnumerateFiles(State.Path, "*", SearchOption.AllDirectories));
    }

    /// <summary>An output path of about <paramref name="chars"/> characters under the data root (never created).</summary>
    private string LongPath(int chars) => Data.File(string.Join('/', Enumerable.Repeat(new string('d', 200), chars / 201)) + "/out.parquet");
}
