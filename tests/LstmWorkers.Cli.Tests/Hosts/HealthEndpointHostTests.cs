using System.Net;
using System.Net.Sockets;
using System.Text;
using LstmWorkers.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace LstmWorkers.Cli.Tests.Hosts;

/// <summary>The health endpoint in a host of its own: nothing a client sends or breaks off can stop the role.</summary>
public class HealthEndpointHostTests
{
    private static readonly HttpClient Http = new();

    [Fact]
    public async Task Connections_reset_mid_request_or_mid_answer_leave_the_role_running_and_answering()
    {
        int port = FreePort();
        using var host = await StartAsync(port);
        var stopped = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;

        for (int i = 0; i < 5; i++)
        {
            await ResetAsync(port, "GET /health/ready HTTP/1.1\r\nHost: localhost\r\n\r\n"); // the answer finds the connection gone
            await ResetAsync(port, "GET /health/re");                                       // the request is cut off
        }

        var live = await Http.GetAsync($"http://127.0.0.1:{port}/health/live");
        var ready = await Http.GetAsync($"http://localhost:{port}/health/ready");
        Assert.False(stopped.IsCancellationRequested, "a client stopped the host");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task A_port_already_taken_fails_the_start_instead_of_stopping_the_role_later()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(port));

        Assert.Contains($"health endpoint", error.Message);
        Assert.Contains($"{port}", error.Message);
    }

    [Theory]
    [InlineData(null, new[] { "http://127.0.0.1:8080/health/", "http://localhost:8080/health/" })]
    [InlineData("127.0.0.1", new[] { "http://127.0.0.1:8080/health/", "http://localhost:8080/health/" })]
    [InlineData("*", new[] { "http://*:8080/health/" })]
    [InlineData("10.1.2.3", new[] { "http://10.1.2.3:8080/health/" })]
    public void The_endpoint_listens_on_loopback_unless_an_address_is_configured(string? address, string[] prefixes)
    {
        var options = new OperationsOptions { HealthPort = 8080 };
        if (address is not null)
        {
            options.HealthAddress = address;
        }

        Assert.Equal(prefixes, HealthEndpoint.Prefixes(options));
    }

    private static async Task<IHost> StartAsync(int port)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Operations:HealthPort"] = $"{port}" });
        builder.Services.AddLstmOperations(builder.Configuration);
        builder.Services.AddHealthChecks().AddCheck("always", () => HealthCheckResult.Healthy(), tags: ["ready"]);
        var host = builder.Build();
        try
        {
            await host.StartAsync();
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>Sends <paramref name="request"/> and closes the connection with a TCP reset.</summary>
    private static async Task ResetAsync(int port, string request)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        await socket.SendAsync(Encoding.ASCII.GetBytes(request));
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
        await Task.Delay(20);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
