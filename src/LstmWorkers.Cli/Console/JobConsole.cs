using LstmWorkers.Coordinator.Jobs;

namespace LstmWorkers.Cli.Console;

/// <summary>Runs a job in the terminal: progress on stderr, the summary on stdout, errors as one clear line and exit code 1.</summary>
public static class JobConsole
{
    /// <summary>The exit code of a job stopped by the user (the program turns it into 143 when the signal was SIGTERM).</summary>
    public const int CancelledExitCode = 130;

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
            return CancelledExitCode;
        }
        catch (Exception e)
        {
            progress.Finish();
            return await ErrorLine.WriteAsync(e);
        }
    }
}
