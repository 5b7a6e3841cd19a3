using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LstmWorkers.Hosting;

/// <summary>
/// A minimal HTTP health endpoint for container probes: <c>/health/live</c> answers 200 while the
/// process runs; <c>/health/ready</c> runs the checks tagged "ready" (the bus connection, the
/// worker's device) and answers 200 when all are healthy, else 503, with each check's status as JSON.
/// Degraded counts as not ready: it is how MassTransit reports a bus whose broker connection is lost.
/// </summary>
public sealed partial class HealthEndpoint(HealthCheckService checks, IOptions<OperationsOptions> options, ILogger<HealthEndpoint> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        int port = options.Value.HealthPort;
        if (port <= 0)
        {
            return;
        }

        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://*:{port}/health/");
        listener.Start();
        LogListening(port);
        using var stop = stoppingToken.Register(listener.Stop);
        while (!stoppingToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (HttpListenerException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            await AnswerAsync(context, stoppingToken);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        using var response = context.Response;
        if (context.Request.Url?.AbsolutePath.TrimEnd('/') == "/health/live")
        {
            response.StatusCode = 200;
            return;
        }

        var report = await checks.CheckHealthAsync(check => check.Tags.Contains("ready"), cancellationToken);
        response.StatusCode = report.Status == HealthStatus.Healthy ? 200 : 503;
        response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(response.OutputStream, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), e.Value.Description }),
        }, cancellationToken: cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Health endpoint on port {Port}: /health/live, /health/ready")]
    private partial void LogListening(int port);
}
