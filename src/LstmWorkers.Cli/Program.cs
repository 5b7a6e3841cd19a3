using System.CommandLine;
using LstmWorkers.Cli.Commands;
using LstmWorkers.Cli.Console;
using LstmWorkers.Cli.Hosts;

using var signals = new TerminationSignals();
var configuration = new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false };
try
{
    int exitCode = await LstmwCommand.Create().Parse(args).InvokeAsync(configuration, signals.Token);
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
