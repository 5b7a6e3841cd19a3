using System.CommandLine;
using LstmWorkers.Cli.Cluster;
using LstmWorkers.Cli.Console;
using LstmWorkers.Contracts.Jobs;

namespace LstmWorkers.Cli.Commands;

/// <summary><c>lstmw status [JOB_ID]</c> and <c>lstmw cancel JOB_ID</c>: ask the coordinator about jobs.</summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var jobId = new Argument<Guid?>("JOB_ID") { Description = "The job (default: every job the coordinator knows).", Arity = ArgumentArity.ZeroOrOne };
        var broker = CommonOptions.Broker();
        var command = new Command("status", "Show one job's state, or every job's.") { jobId, broker };
        command.SetAction((result, cancellationToken) => RunAsync(result.GetValue(broker),
            (client, ct) => client.StatusAsync(result.GetValue(jobId), ct), cancellationToken));
        return command;
    }

    public static Command CreateCancel()
    {
        var jobId = new Argument<Guid>("JOB_ID") { Description = "The job to stop." };
        var broker = CommonOptions.Broker();
        var command = new Command("cancel", "Stop a queued or running job; it writes no output.") { jobId, broker };
        command.SetAction((result, cancellationToken) => RunAsync(result.GetValue(broker),
            (client, ct) => client.CancelAsync(result.GetValue(jobId), ct), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string? broker, Func<ClusterClient, CancellationToken, Task<JobStatus[]>> ask,
        CancellationToken cancellationToken)
    {
        try
        {
            await using var client = await ClusterClient.ConnectAsync(broker, cancellationToken);
            var jobs = await ask(client, cancellationToken);
            if (jobs.Length == 0)
            {
                await System.Console.Error.WriteLineAsync("lstmw: error: no such job");
                return 1;
            }

            foreach (var job in jobs)
            {
                System.Console.WriteLine($"{job.JobId}  {job.State,-9}  {job.RowsDone:N0}/{job.RowsTotal:N0} rows  {job.ElapsedSeconds,8:F1} s  {job.Input} -> {job.OutputPath}" +
                                         (job.Reason is null ? "" : $"  ({job.Reason})"));
            }

            return 0;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return await ErrorLine.WriteAsync(e);
        }
    }
}
