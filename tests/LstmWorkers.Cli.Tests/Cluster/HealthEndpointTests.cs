using System.Net;
using LstmWorkers.Cli.Tests.Support;

namespace LstmWorkers.Cli.Tests.Cluster;

/// <summary>
/// The health endpoint of the long-running roles, as container probes see it: <c>/health/live</c> while the
/// process runs, <c>/health/ready</c> only while its checks pass — the broker connection among them.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class HealthEndpointTests : ClusterTest
{
    private static readonly HttpClient Http = new();

    [RabbitMqFact]
    public async Task A_worker_reports_its_bus_and_device_on_the_health_endpoint()
    {
        StartWorker(HealthEndpoint(out int port));
        await WaitUntilReadyAsync();

        string report = await AssertLiveAndReadyAsync(port);

        Assert.Contains("\"device\"", report);
        Assert.Contains("masstransit-bus", report);
    }

    [RabbitMqFact]
    public async Task A_coordinator_is_ready_only_while_connected_to_the_broker_and_live_throughout()
    {
        StartCoordinator(HealthEndpoint(out int port));
        await WaitUntilReadyAsync();

        string connected = await AssertLiveAndReadyAsync(port);
        await VirtualHost.RevokeAccessAsync();
        string cutOff = await WaitForReadinessAsync(port, HttpStatusCode.ServiceUnavailable);
        var live = await Http.GetAsync($"http://localhost:{port}/health/live");
        await VirtualHost.GrantAccessAsync();
        string reconnected = await WaitForReadinessAsync(port, HttpStatusCode.OK);

        Assert.Contains("\"masstransit-bus\":{\"status\":\"Healthy\"", connected);
        Assert.DoesNotContain("\"device\"", connected);
        Assert.Contains("masstransit-bus", cutOff);
        Assert.DoesNotContain("\"status\":\"Healthy\"", cutOff);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Contains("\"masstransit-bus\":{\"status\":\"Healthy\"", reconnected);
    }

    /// <summary>Asserts that both probes answer 200; returns the readiness report.</summary>
    private async Task<string> AssertLiveAndReadyAsync(int port)
    {
        var live = await Http.GetAsync($"http://localhost:{port}/health/live");
        var ready = await Http.GetAsync($"http://localhost:{port}/health/ready");
        string report = await ready.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.True(ready.StatusCode == HttpStatusCode.OK, report + Logs());
        return report;
    }

    /// <summary>Asks <c>/health/ready</c> until it answers <paramref name="expected"/> (MassTransit reconnects with
    /// growing pauses, up to half a minute); returns that answer's report.</summary>
    private async Task<string> WaitForReadinessAsync(int port, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (true)
        {
            var ready = await Http.GetAsync($"http://localhost:{port}/health/ready");
            string report = await ready.Content.ReadAsStringAsync();
            if (ready.StatusCode == expected)
            {
                return report;
            }

            Assert.True(DateTime.UtcNow < deadline, $"/health/ready did not answer {expected} within a minute: {report}\n{Logs()}");
            await Task.Delay(500);
        }
    }
}
