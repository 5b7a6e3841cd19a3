using System.Globalization;
using System.Text.RegularExpressions;
using LstmWorkers.Cli.Tests.Support;
using LstmWorkers.TestSupport;

namespace LstmWorkers.Cli.Tests.Cluster;

/// <summary>
/// The cluster as separate processes against a real RabbitMQ (a fresh virtual host per test):
/// a coordinator, workers, and <c>lstmw encode --broker</c> as the client. Every run must write
/// the same bytes as the embedded run on the same input.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterTests : ClusterTest
{
    [RabbitMqFact]
    public async Task Encode_through_the_broker_writes_the_same_bytes_as_the_embedded_run()
    {
        StartCoordinator();
        StartWorker();
        StartWorker();
        await WaitUntilReadyAsync();

        var cluster = await Lstmw.RunAsync("encode", Input, "--model", Model, "--out", Data.File("cluster.parquet"), "--broker", Broker);
        var status = await Lstmw.RunAsync("status", "--broker", Broker);

        Assert.True(cluster.ExitCode == 0, cluster + Logs());
        Assert.Contains("Completed", status.Output);
        Assert.Empty(Directory.EnumerateFiles(PayloadDirectory, "*", SearchOption.AllDirectories));
        await AssertSameBytesAsEmbeddedAsync(Data.File("cluster.parquet"));
    }

    [RabbitMqFact]
    public async Task A_worker_killed_mid_job_loses_nothing()
    {
        StartCoordinator();
        var doomed = StartWorker();
        StartWorker();
        await WaitUntilReadyAsync();

        var client = Lstmw.RunAsync("encode", Input, "--model", Model, "--out", Data.File("cluster.parquet"), "--broker", Broker);
        await Task.Delay(TimeSpan.FromSeconds(3));
        doomed.Kill();
        var result = await client;

        Assert.True(result.ExitCode == 0, result + Logs());
        await AssertSameBytesAsEmbeddedAsync(Data.File("cluster.parquet"));
    }

    [RabbitMqFact]
    public async Task A_worker_stopped_by_sigterm_mid_job_exits_within_its_grace_and_loses_nothing()
    {
        StartCoordinator();
        var stopped = StartWorker();
        StartWorker();
        await WaitUntilReadyAsync();

        var client = Lstmw.RunAsync("encode", Input, "--model", Model, "--out", Data.File("cluster.parquet"), "--broker", Broker);
        await Task.Delay(TimeSpan.FromSeconds(3));
        stopped.Terminate();
        int? exitCode = await stopped.WaitForExitAsync(TimeSpan.FromSeconds(45));
        var result = await client;

        Assert.True(exitCode == 0, $"the worker's exit: {exitCode?.ToString() ?? "none within 45 s"}\n{Logs()}");
        Assert.True(result.ExitCode == 0, result + Logs());
        await AssertSameBytesAsEmbeddedAsync(Data.File("cluster.parquet"));
    }

    [RabbitMqFact]
    public async Task A_coordinator_killed_mid_job_resumes_it_without_redoing_finished_windows()
    {
        StartCoordinator();
        StartWorker();
        await WaitUntilReadyAsync();

        string input = InputCopies(Parts);

        var client = Lstmw.RunAsync("encode", input, "--model", Model, "--out", Data.File("cluster.parquet"), "--broker", Broker);
        await WaitForRowsDoneAsync();
        Roles[0].Kill();
        StartCoordinator();
        var result = await client;

        Assert.True(result.ExitCode == 0, result + Logs());
        await AssertSameBytesAsEmbeddedAsync(Data.File("cluster.parquet"), input);
        int batchesAfterRestart = int.Parse(Regex.Match(result.Output, @"(\d+) batches").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(batchesAfterRestart, 1, AllBatches - 16);
    }

    [RabbitMqFact]
    public async Task A_hung_worker_s_batch_is_sent_again_after_the_timeout()
    {
        StartCoordinator();
        var hung = StartWorker();
        StartWorker();
        await WaitUntilReadyAsync();

        var client = Lstmw.RunAsync("encode", Input, "--model", Model, "--out", Data.File("cluster.parquet"), "--broker", Broker);
        await Task.Delay(TimeSpan.FromSeconds(3));
        hung.Freeze();
        var result = await client;

        Assert.True(result.ExitCode == 0, result + Logs());
        await AssertSameBytesAsEmbeddedAsync(Data.File("cluster.parquet"));
    }

    [RabbitMqFact]
    public async Task A_broker_restart_mid_job_is_survived()
    {
        StartCoordinator();
        StartWorker();
        StartWorker();
        await WaitUntilReadyAsync();

        var client = Lstmw.RunAsync("encode", Input, "--model", Model, "--out", Data.File("cluster.parquet"), "--broker", Broker);
        await Task.Delay(TimeSpan.FromSeconds(3));
        await RabbitMqVirtualHost.RestartBrokerAsync();
        var result = await client;

        Assert.True(result.ExitCode == 0, $"{result}\nqueues:\n{await VirtualHost.QueuesAsync()}{Logs()}");
        await AssertSameBytesAsEmbeddedAsync(Data.File("cluster.parquet"));
    }

    [RabbitMqFact]
    public async Task A_broker_restart_with_messages_waiting_for_their_confirmation_is_survived()
    {
        StartCoordinator();
        StartWorker();
        StartWorker();
        await WaitUntilReadyAsync();

        // RabbitMQ.Client never completes a send whose confirmation was pending when the broker stopped. Before every send
        // had a deadline, tools/soak/broker-restarts.sh with this memory alarm left the client waiting for ever in a status
        // request (twice in two runs); this test passed on that code in four runs, so it guards the recovery, it does not
        // reproduce the hang for sure.
        var client = Lstmw.RunAsync("encode", Input, "--model", Model, "--out", Data.File("cluster.parquet"), "--broker", Broker);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await RabbitMqVirtualHost.RestartBrokerWithSendsUnconfirmedAsync();
        var result = await client;

        Assert.True(result.ExitCode == 0, $"{result}\nqueues:\n{await VirtualHost.QueuesAsync()}{Logs()}");
        await AssertSameBytesAsEmbeddedAsync(Data.File("cluster.parquet"));
    }

    [RabbitMqFact]
    public async Task A_path_outside_the_data_roots_is_rejected()
    {
        StartCoordinator();
        await WaitUntilReadyAsync();

        var result = await Lstmw.RunAsync("encode", Input, "--model", Model, "--out", "../escaped.parquet", "--broker", Broker);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("outside the coordinator's data roots", result.Error);
    }

    [RabbitMqFact]
    public async Task The_python_example_of_docs_messages_submits_a_job_and_sees_it_complete()
    {
        StartCoordinator();
        StartWorker();
        await WaitUntilReadyAsync();
        string script = Path.Combine(Fixtures.RepositoryRoot, "docs", "examples", "submit_job.py");

        var result = await Processes.RunAsync("/usr/bin/python3", script, Broker, "sequences.parquet", "model.safetensors", "python.parquet");

        Assert.True(result.ExitCode == 0, result + Logs());
        Assert.Contains("completed: 2000 rows", result.Output);
        Assert.True(File.Exists(Data.File("python.parquet")));
    }

    /// <summary>Copies of the sample in the resumed job's input, and that job's batches: 8 windows of 250 rows a
    /// copy (a window never spans files), 16 rows a batch.</summary>
    private const int Parts = 4;
    private const int AllBatches = Parts * 8 * 16;

    /// <summary>Waits until the coordinator reports at least one finished window of the running job.</summary>
    private async Task WaitForRowsDoneAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            var status = await Lstmw.RunAsync("status", "--broker", Broker);
            var done = Regex.Match(status.Output, $@"(\d[\d,]*)/{Parts * 2000:N0} rows");
            if (done.Success && int.Parse(done.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture) >= 250)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "no window finished within two minutes:\n" + status + Logs());
            await Task.Delay(250);
        }
    }

    private async Task AssertSameBytesAsEmbeddedAsync(string clusterOutput, string? input = null)
    {
        string embedded = Data.File("embedded.parquet");
        var result = await Lstmw.RunAsync(Settings, "encode", input ?? Input, "--model", Model, "--out", embedded, "--device", "cpu");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.ReadAllBytes(embedded).AsSpan().SequenceEqual(File.ReadAllBytes(clusterOutput)), "the cluster's output differs from the embedded run's");
    }
}
