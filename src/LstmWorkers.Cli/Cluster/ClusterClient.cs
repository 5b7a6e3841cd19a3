using System.Diagnostics;
using LstmWorkers.Cli.Hosts;
using LstmWorkers.Contracts;
using LstmWorkers.Contracts.Jobs;
using LstmWorkers.Coordinator.Jobs;
using LstmWorkers.Hosting;
using LstmWorkers.Hosting.Broker;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LstmWorkers.Cli.Cluster;

/// <summary>
/// Talks to a cluster's coordinator through the broker: submits a job and follows it by polling
/// its status, so a coordinator restart in between only makes the client wait a little longer.
/// </summary>
public sealed class ClusterClient : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan BrokerOutageLimit = TimeSpan.FromMinutes(5);
    private static readonly RequestTimeout ReplyTimeout = RequestTimeout.After(s: 10);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);

    /// <summary>A request's whole life: taken by the broker (<see cref="BrokerDeadline.Send"/>), then answered (<see cref="ReplyTimeout"/>).</summary>
    private static readonly TimeSpan RequestDeadline = BrokerDeadline.Send + ReplyTimeout.Value;
    private readonly IHost _host;

    private ClusterClient(IHost host) => _host = host;

    public static async Task<ClusterClient> ConnectAsync(string? broker, CancellationToken cancellationToken)
    {
        var builder = LstmwHost.CreateBuilder(new Dictionary<string, string?> { ["Broker"] = broker });
        var settings = builder.Broker();
        if (settings.IsInMemory)
        {
            throw new ArgumentException("no broker given: pass --broker amqp://user:password@host/ or set LSTMW_BROKER");
        }

        builder.Logging.ClearProviders(); // a client speaks through its progress and its one error line, not the bus's log
        builder.Services.AddLstmBus(settings, _ => { });
        builder.Services.Configure<MassTransitHostOptions>(bus => bus.StartTimeout = ConnectTimeout); // a broker out of reach: say so soon
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new ClusterClient(host);
    }

    /// <summary>Submits the job and waits for it to finish, reporting progress; throws <see cref="ClusterJobFailedException"/> if it fails.</summary>
    public async Task<EncodeJobSummary> EncodeAsync(SubmitEncodeJob job, IProgress<EncodeJobProgress> progress, CancellationToken cancellationToken)
    {
        var submit = await WithRetryAsync(() => BrokerDeadline.RunAsync(
            token => Client<SubmitEncodeJob>().GetResponse<JobAccepted, JobRejected>(job, token, ReplyTimeout), RequestDeadline, cancellationToken), cancellationToken);
        if (submit.Is(out Response<JobRejected>? rejected))
        {
            throw new ClusterJobFailedException($"job rejected: {rejected.Message.Reason}");
        }

        while (true)
        {
            var status = (await WithRetryAsync(() => AskStatusAsync(job.JobId, cancellationToken), cancellationToken)).SingleOrDefault()
                ?? throw new ClusterJobFailedException($"the coordinator no longer knows job {job.JobId}");
            progress.Report(new EncodeJobProgress(status.RowsDone, status.RowsTotal, status.TokensDone, status.TokensTotal,
                TimeSpan.FromSeconds(status.ElapsedSeconds)));
            switch (status.State)
            {
                case JobState.Completed:
                    return new EncodeJobSummary(status.OutputPath, status.RowsDone, status.TokensDone, status.TotalLength,
                        status.RowsDone * status.TotalLength, status.Batches, TimeSpan.FromSeconds(status.ElapsedSeconds), status.Devices);
                case JobState.Failed or JobState.Cancelled:
                    throw new ClusterJobFailedException($"job {job.JobId} {status.State.ToString().ToLowerInvariant()}: {status.Reason}");
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary>One job's status, or every job's when <paramref name="jobId"/> is null; asked once.</summary>
    public Task<JobStatus[]> StatusAsync(Guid? jobId, CancellationToken cancellationToken) => OnceAsync(() => AskStatusAsync(jobId, cancellationToken));

    public Task<JobStatus[]> CancelAsync(Guid jobId, CancellationToken cancellationToken) =>
        OnceAsync(() => AskAsync(new CancelJob { JobId = jobId }, cancellationToken));

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }

    private Task<JobStatus[]> AskStatusAsync(Guid? jobId, CancellationToken cancellationToken) =>
        AskAsync(new GetJobStatus { JobId = jobId }, cancellationToken);

    /// <summary>Asks the coordinators for a <see cref="JobStatusReport"/>, within <see cref="RequestDeadline"/> even when the broker
    /// never takes the request.</summary>
    private Task<JobStatus[]> AskAsync<T>(T request, CancellationToken cancellationToken) where T : class =>
        BrokerDeadline.RunAsync(async token => (await Client<T>().GetResponse<JobStatusReport>(request, token, ReplyTimeout)).Message.Jobs,
            RequestDeadline, cancellationToken);

    /// <summary>A request asked once, for a command that answers at once: no reply is an error that says what to check.</summary>
    private static async Task<T> OnceAsync<T>(Func<Task<T>> request)
    {
        try
        {
            return await request();
        }
        catch (RequestTimeoutException)
        {
            throw new ClusterJobFailedException($"no coordinator answered within {ReplyTimeout.Value.TotalSeconds:0} s: is one running and connected to this broker?");
        }
        catch (TimeoutException e)
        {
            throw new ClusterJobFailedException($"{e.Message}: is it running?");
        }
        catch (Exception e) when (MessageTooLargeException.FindIn(e) is { } refusal)
        {
            throw new MessageTooLargeException(refusal.Message, e);
        }
    }

    private IRequestClient<T> Client<T>() where T : class => _host.Services.GetRequiredService<IClientFactory>().CreateRequestClient<T>();

    /// <summary>Retries a request whose reply timed out or could not be sent: the coordinator or the broker may be restarting.
    /// A request refused for its size fails at once, unwrapped from MassTransit's <see cref="RequestException"/>.</summary>
    private static async Task<T> WithRetryAsync<T>(Func<Task<T>> request, CancellationToken cancellationToken)
    {
        Stopwatch? outage = null;
        while (true)
        {
            try
            {
                return await request();
            }
            catch (RequestTimeoutException)
            {
                await System.Console.Error.WriteLineAsync("lstmw: no answer from the coordinator yet; still waiting");
                cancellationToken.ThrowIfCancellationRequested();
            }
            catch (Exception e) when (MessageTooLargeException.FindIn(e) is { } refusal)
            {
                // Refused for its size: no retry can send it.
                throw new MessageTooLargeException(refusal.Message, e);
            }
            catch (Exception e) when (e is not OperationCanceledException && (outage ??= Stopwatch.StartNew()).Elapsed < BrokerOutageLimit)
            {
                await System.Console.Error.WriteLineAsync($"lstmw: broker unreachable ({e.Message}); still waiting");
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }
}
