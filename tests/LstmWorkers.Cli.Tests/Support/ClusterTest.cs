using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using LstmWorkers.TestSupport;

namespace LstmWorkers.Cli.Tests.Support;

/// <summary>
/// A cluster as separate <c>lstmw</c> processes against a real RabbitMQ, one per test: a fresh virtual
/// host, a data root holding the sample dataset and model, and the roles the test starts (killed at its end).
/// </summary>
public abstract class ClusterTest : IAsyncLifetime
{
    private readonly List<RoleProcess> _roles = [];
    private RabbitMqVirtualHost? _virtualHost;

    protected TempDirectory Data { get; } = new();

    /// <summary>The coordinator's state directory, outside its data root (as it must be).</summary>
    protected TempDirectory State { get; } = new();

    protected RabbitMqVirtualHost VirtualHost => _virtualHost!;

    protected string Broker => VirtualHost.Uri;

    protected IReadOnlyList<RoleProcess> Roles => _roles;

    /// <summary>Small batches and windows, so a job has many of each to lose when something dies; batch data
    /// over 1 KiB travels by reference through a shared payload directory. A lost batch is resent after 5 s, up to
    /// 12 times: a minute for the broker to come back from a restart even on a loaded machine.</summary>
    protected Dictionary<string, string> Settings => new()
    {
        ["LSTMW_Logging__LogLevel__MassTransit"] = "Information",
        ["LSTMW_Coordinator__MaxBatchRows"] = "16",
        ["LSTMW_Coordinator__WindowRows"] = "250",
        ["LSTMW_Coordinator__BatchTimeout"] = "00:00:05",
        ["LSTMW_Coordinator__BatchAttempts"] = "12",
        ["LSTMW_Payloads__Directory"] = PayloadDirectory,
        ["LSTMW_Payloads__InlineBytes"] = "1024",
    };

    protected string PayloadDirectory => Data.File("payloads");

    protected string Input => Data.File("sequences.parquet");

    protected string Model => Data.File("model.safetensors");

    /// <summary>A directory of <paramref name="parts"/> copies of the sample: one input of that many files, rows in order.</summary>
    protected string InputCopies(int parts)
    {
        string input = Data.File("parts");
        Directory.CreateDirectory(input);
        for (int part = 0; part < parts; part++)
        {
            File.Copy(Input, Path.Combine(input, $"part-{part}.parquet"));
        }

        return input;
    }

    public async Task InitializeAsync()
    {
        File.Copy(Path.Combine(Fixtures.RepositoryRoot, "samples", "sequences.parquet"), Input);
        File.Copy(Path.Combine(Fixtures.RepositoryRoot, "samples", "model.safetensors"), Model);
        if (new RabbitMqFactAttribute().Skip is null)
        {
            _virtualHost = await RabbitMqVirtualHost.CreateAsync();
        }
    }

    public async Task DisposeAsync()
    {
        _roles.ForEach(role => role.Dispose());
        if (_virtualHost is not null)
        {
            await _virtualHost.DisposeAsync();
        }

        Data.Dispose();
        State.Dispose();
    }

    /// <summary>A coordinator on the data root, with <paramref name="settings"/> over <see cref="Settings"/>.</summary>
    protected RoleProcess StartCoordinator(IReadOnlyDictionary<string, string>? settings = null) =>
        Start(settings, "coordinator", "--broker", Broker, "--state-dir", State.Path, "--data-root", Data.Path);

    protected RoleProcess StartWorker(IReadOnlyDictionary<string, string>? settings = null) =>
        Start(settings, "worker", "--broker", Broker, "--device", "cpu", "--concurrency", "1", "--data-root", Data.Path);

    /// <summary>The setting that opens a role's health endpoint on a free port.</summary>
    protected static Dictionary<string, string> HealthEndpoint(out int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Dictionary<string, string> { ["LSTMW_Operations__HealthPort"] = $"{port}" };
    }

    /// <summary>Waits until every started role's bus is connected (MassTransit logs "Bus started").</summary>
    protected async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (!_roles.All(role => role.Log.Contains("Bus started", StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, "the cluster did not start within a minute:\n" + Logs());
            await Task.Delay(200);
        }
    }

    /// <summary>Waits until the running job of <paramref name="rows"/> rows has at least <paramref name="atLeast"/> done; returns how many it had.</summary>
    protected async Task<int> WaitForRowsDoneAsync(int rows, int atLeast)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            var status = await Lstmw.RunAsync("status", "--broker", Broker);
            var done = Regex.Match(status.Output, $@"(\d[\d,]*)/{rows:N0} rows");
            if (done.Success && int.Parse(done.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture) is var count && count >= atLeast)
            {
                return count;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{atLeast} rows were not done within two minutes:\n" + status + Logs());
            await Task.Delay(250);
        }
    }

    protected string Logs() => string.Join("\n", _roles.Select((role, i) => $"--- role {i} ---\n{role.Log}"));

    private RoleProcess Start(IReadOnlyDictionary<string, string>? settings, params string[] arguments)
    {
        var environment = Settings;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var role = new RoleProcess(environment, arguments);
        _roles.Add(role);
        return role;
    }
}
