using System.CommandLine;
using LstmWorkers.Cli.Commands;
using LstmWorkers.Cli.Console;
using LstmWorkers.Cli.Hosts;

using var signals = new TerminationSignals();
var configuration = new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false };
try
{
    var parsed = LstmwCommand.Create().Parse(args);
    if (parsed.Errors.Count > 0)
    {
        return await ErrorLine.WriteUsageAsync(parsed);
    }

    int exitCode = await parsed.InvokeAsync(configuration, signals.Token);
    return exitCode == JobConsole.CancelledExitCode && signals.ExitCode is { } signalled ? signalled : exitCode;
}
catch (Exception e) when (e is not OperationCanceledException || !signals.Token.IsCancellationRequested)
{
    return await ErrorLine.WriteAsync(e);
}
catch (OperationCanceledException)
{
    return signals.ExitCode ?? JobConsole.CancelledExitCode;
}
