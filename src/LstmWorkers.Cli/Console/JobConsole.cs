using LstmWorkers.Cli.Cluster;
using LstmWorkers.Contracts;
using LstmWorkers.Coordinator.Dispatch;
using LstmWorkers.Coordinator.Jobs;
using LstmWorkers.Core.Models;
using LstmWorkers.Data;
using Microsoft.Extensions.Options;

namespace LstmWorkers.Cli.Console;

/// <summary>Runs a job in the terminal: progress on stderr, the summary on stdout, errors as one clear line and exit code 1.</summary>
public static class JobConsole
{
    public static async Task<int> RunAsync(
        Func<IProgress<EncodeJobProgress>, CancellationToken, Task<EncodeJobSummary>> job, string cancelledMessage,
        CancellationToken cancellationToken)
    {
        using var progress = new ProgressDisplay(System.Console.Error, interactive: !System.Console.IsErrorRedirected);
        try
        {
            var summary = await job(progress, cancellationToken);
            progress.Finish();
            SummaryWriter.Write(System.Console.Out, summary);
            return 0;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            progress.Finish();
            await System.Console.Error.WriteLineAsync(cancelledMessage);
            return 130;
        }
        catch (Exception e) when (e is InputDataException or ModelFormatException or BatchFailedException or ClusterJobFailedException or ArgumentException
                                      or IOException or UnauthorizedAccessException or OptionsValidationException or MessageTooLargeException)
        {
            progress.Finish();
            await System.Console.Error.WriteLineAsync($"lstmw: error: {e.Message}");
            return 1;
        }
    }
}
