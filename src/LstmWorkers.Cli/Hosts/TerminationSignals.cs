using System.Runtime.InteropServices;

namespace LstmWorkers.Cli.Hosts;

/// <summary>
/// SIGINT and SIGTERM for the whole program, in one place: the first cancels <see cref="Token"/> — a job stops and
/// removes its temporary output, a role stops its host within its grace — and keeps the process alive until that is
/// done; a second one ends the process at once. (System.CommandLine's own handling is off: it gives up after 2 s, and
/// the hosts' console lifetime, which would block exit until a host is disposed, is replaced by <see cref="CommandLifetime"/>.)
/// </summary>
internal sealed class TerminationSignals : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private int _received;

    public TerminationSignals()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    public CancellationToken Token => _cancellation.Token;

    /// <summary>The shell's exit code for the first signal received (130 for SIGINT, 143 for SIGTERM), or null.</summary>
    public int? ExitCode { get; private set; }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _cancellation.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _received) > 1)
        {
            return; // the second signal: the default action ends the process now
        }

        context.Cancel = true;
        ExitCode = context.Signal == PosixSignal.SIGINT ? 130 : 143;
        _cancellation.Cancel();
    }
}
