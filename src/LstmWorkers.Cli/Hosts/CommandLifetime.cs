using Microsoft.Extensions.Hosting;

namespace LstmWorkers.Cli.Hosts;

/// <summary>
/// A host lifetime that leaves signals to the command: a host stops when its command's token is cancelled
/// (<see cref="TerminationSignals"/>), never on a signal of its own, and never holds up the process's exit.
/// </summary>
internal sealed class CommandLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
