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
/// <para>
/// It listens on <see cref="OperationsOptions.HealthAddress"/> (loopback unless configured) from the host's start, so a
/// port that cannot be had fails the start. Each request is answered on its own; whatever a client does — resets the
/// connection, stops reading, sends garbage — ends that request only, never the role.
/// </para>
/// </summary>
public sealed partial class HealthEndpoint(HealthCheckService checks, IOptions<OperationsOptions> options, ILogger<HealthEndpoint> logger)
    : BackgroundService
{
    private HttpListener? _listener;

    /// <summary>
    /// The listener's prefixes: <c>http://ADDRESS:PORT/health/</c>, and on loopback also under the name <c>localhost</c>
    /// (a listener answers only requests whose Host matches a prefix).
    /// </summary>
    public static string[] Prefixes(OperationsOptions options)
    {
        string prefix = $"http://{options.HealthAddress}:{options.HealthPort}/health/";
        return options.HealthAddress == "127.0.0.1" ? [prefix, $"http://localhost:{options.HealthPort}/health/"] : [prefix];
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.HealthPort > 0)
        {
            var listener = new HttpListener();
            string[] prefixes = Prefixes(settings);
            foreach (string prefix in prefixes)
            {
                listener.Prefixes.Add(prefix);
            }

            try
            {
                listener.Start();
            }
            catch (HttpListenerException e)
            {
                listener.Close();
                throw new InvalidOperationException($"the health endpoint cannot listen on {prefixes[0]}: {e.Message}", e);
            }

            _listener = listener;
            LogListening(prefixes[0]);
        }

        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        base.Dispose(); // stops the accept loop (its stop callback needs the listener open), then the listener goes
        _listener?.Close();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_listener is not { } listener)
        {
            return;
        }

        using var stop = stoppingToken.Register(listener.Stop);
        while (!stoppingToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException e)
            {
                LogRequestFailed(e.Message); // a connection that broke before its request was read
                continue;
            }

            _ = AnswerAsync(context, stoppingToken);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        try
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
        catch (Exception e)
        {
            LogRequestFailed(e.Message); // the client went away, or the role is stopping: this request ends, the role goes on
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Health endpoint on {Prefix}: live, ready")]
    private partial void LogListening(string prefix);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A health request ended early: {Reason}")]
    private partial void LogRequestFailed(string reason);
}
