using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using LstmWorkers.Cli.Tests.Support;
using LstmWorkers.TestSupport;

namespace LstmWorkers.Cli.Tests.Cluster;

/// <summary>
/// The cluster as separate processes against a real RabbitMQ (a fresh virtual host per test):
/// a coordinator, workers, and <c>lstmw encode --broker</c> as the client. Every run must write
/// the same bytes as the embedded run on the same input.
/// </summary>
public sealed class ClusterTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly List<RoleProcess> _roles = [];
    private RabbitMqVirtualHost? _broker;

    private string Broker => _broker!.Uri;

    /// <summary>Small batches and windows, so a job has many of each to lose when something dies; batch data
    /// over 1 KiB travels by reference through a shared payload directory.</summary>
    private Dictionary<string, string> Settings => new()
    {
        ["LSTMW_Logging__LogLevel__MassTransit"] = "Information",
        ["LSTMW_Coordinator__MaxBatchRows"] = "16",
        ["LSTMW_Coordinator__WindowRows"] = "250",
        ["LSTMW_Coordinator__BatchTimeout"] = "00:00:05",
        ["LSTMW_Payloads__Directory"] = PayloadDirectory,
        ["LSTMW_Payloads__InlineBytes"] = "1024",
    };

    private string PayloadDirectory => _data.File("payloads");

    private string Input => _data.File("sequences.parquet");

    private string Model => _data.File("model.safetensors");

    public async Task InitializeAsync()
    {
        File.Copy(Path.Combine(Fixtures.RepositoryRoot, "samples", "sequences.parquet"), Input);
        File.Copy(Path.Combine(Fixtures.RepositoryRoot, "samples", "model.safetensors"), Model);
        if (new RabbitMqFactAttribute().Skip is null)
        {
            _broker = await RabbitMqVirtualHost.CreateAsync();
        }
    }

    public async Task DisposeAsync()
    {
        _roles.ForEach(role => role.Dispose());
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        _data.Dispose();
    }

    [RabbitMqFact]
    public async Task Encode_through_the_broker_writes_the_same_bytes_as_the_embedded_run()
    {
        StartCoordinator();
        StartWorker();
        StartWorker();
        await WaitUntilReadyAsync();

        var cluster = await Lstmw.RunAsync("encode", Input, "--model", Model, "--out", _data.File("cluster.parquet"), "--broker", Broker);
        var status = await Lstmw.RunAsync("status", "--broker", Broker);

        Assert.True(cluster.ExitCode == 0, cluster + Logs());
        Assert.Contains("Completed", status.Output);
        Assert.Empty(Directory.EnumerateFiles(PayloadDirectory, "*", SearchOption.AllDirectories));
        await AssertSameBytesAsEmbeddedAsync(_data.File("cluster.parquet"));
    }

    [RabbitMqFact]
    public async Task A_worker_killed_mid_job_loses_nothing()
    {
        StartCoordinator();
        var doomed = StartWorker();
        StartWorker();
        await WaitUntilReadyAsync();

        var client = Lstmw.RunAsync("encode", Input, "--model", Model, "--out", _data.File("cluster.parquet"), "--broker", Broker);
        await Task.Delay(TimeSpan.FromSeconds(3));
        doomed.Kill();
        var result = await client;

        Assert.True(result.ExitCode == 0, result + Logs());
        await AssertSameBytesAsEmbeddedAsync(_data.File("cluster.parquet"));
    }

    [RabbitMqFact]
    public async Task A_coordinator_killed_mid_job_resumes_it_without_redoing_finished_windows()
    {
        StartCoordinator();
        StartWorker();
        await WaitUntilReadyAsync();

        string input = _data.File("parts");
        Directory.CreateDirectory(input);
        for (int part = 0; part < Parts; part++)
        {
            File.Copy(Input, Path.Combine(input, $"part-{part}.parquet"));
        }

        var client = Lstmw.RunAsync("encode", input, "--model", Model, "--out", _data.File("cluster.parquet"), "--broker", Broker);
        await WaitForRowsDoneAsync();
        _roles[0].Kill();
        StartCoordinator();
        var result = await client;

        Assert.True(result.ExitCode == 0, result + Logs());
        await AssertSameBytesAsEmbeddedAsync(_data.File("cluster.parquet"), input);
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

        var client = Lstmw.RunAsync("encode", Input, "--model", Model, "--out", _data.File("cluster.parquet"), "--broker", Broker);
        await Task.Delay(TimeSpan.FromSeconds(3));
        hung.Freeze();
        var result = await client;

        Assert.True(result.ExitCode == 0, result + Logs());
        await AssertSameBytesAsEmbeddedAsync(_data.File("cluster.parquet"));
    }

    [RabbitMqFact]
    public async Task A_broker_restart_mid_job_is_survived()
    {
        StartCoordinator();
        StartWorker();
        StartWorker();
        await WaitUntilReadyAsync();

        var client = Lstmw.RunAsync("encode", Input, "--model", Model, "--out", _data.File("cluster.parquet"), "--broker", Broker);
        await Task.Delay(TimeSpan.FromSeconds(3));
        await RabbitMqVirtualHost.RestartBrokerAsync();
        var result = await client;

        Assert.True(result.ExitCode == 0, result + Logs());
        await AssertSameBytesAsEmbeddedAsync(_data.File("cluster.parquet"));
    }

    [RabbitMqFact]
    public async Task A_worker_reports_its_bus_and_device_on_the_health_endpoint()
    {
        int port = FreePort();
        _roles.Add(new RoleProcess(new Dictionary<string, string>(Settings) { ["LSTMW_Operations__HealthPort"] = $"{port}" },
            "worker", "--broker", Broker, "--device", "cpu"));
        await WaitUntilReadyAsync();
        using var http = new HttpClient();

        var live = await http.GetAsync($"http://localhost:{port}/health/live");
        var ready = await http.GetAsync($"http://localhost:{port}/health/ready");
        string report = await ready.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.True(ready.StatusCode == HttpStatusCode.OK, report + Logs());
        Assert.Contains("\"device\"", report);
        Assert.Contains("masstransit-bus", report);
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
        Assert.True(File.Exists(_data.File("python.parquet")));
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

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private RoleProcess StartCoordinator() =>
        Start("coordinator", "--broker", Broker, "--state-dir", _data.File("state"), "--data-root", _data.Path);

    private RoleProcess StartWorker() => Start("worker", "--broker", Broker, "--device", "cpu", "--concurrency", "1");

    private RoleProcess Start(params string[] arguments)
    {
        var role = new RoleProcess(Settings, arguments);
        _roles.Add(role);
        return role;
    }

    /// <summary>Waits until every started role's bus is connected (MassTransit logs "Bus started").</summary>
    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (!_roles.All(role => role.Log.Contains("Bus started", StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, "the cluster did not start within a minute:\n" + Logs());
            await Task.Delay(200);
        }
    }

    private async Task AssertSameBytesAsEmbeddedAsync(string clusterOutput, string? input = null)
    {
        string embedded = _data.File("embedded.parquet");
        var result = await Lstmw.RunAsync(Settings, "encode", input ?? Input, "--model", Model, "--out", embedded, "--device", "cpu");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.ReadAllBytes(embedded).AsSpan().SequenceEqual(File.ReadAllBytes(clusterOutput)), "the cluster's output differs from the embedded run's");
    }

    private string Logs() => string.Join("\n", _roles.Select((role, i) => $"--- role {i} ---\n{role.Log}"));
}
