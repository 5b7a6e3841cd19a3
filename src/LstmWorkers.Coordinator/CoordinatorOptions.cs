namespace LstmWorkers.Coordinator;

/// <summary>How the coordinator cuts and schedules work (section "Coordinator").</summary>
public sealed class CoordinatorOptions
{
    public const string SectionName = "Coordinator";

    /// <summary>The most sequences in one packed batch.</summary>
    public int MaxBatchRows { get; set; } = 256;

    /// <summary>The most time steps (tokens) in one packed batch; a longer single sequence gets a batch of its own.</summary>
    public int MaxBatchTokens { get; set; } = 32_768;

    /// <summary>
    /// The most bytes of data one batch may carry either way (4·I bytes a token in, 4·D·H_out out when the job writes <c>output</c>):
    /// batches of wide models get fewer tokens, so every message stays well under the broker's
    /// limit (RabbitMQ's client refuses bodies over 64 MiB; JSON's base64 adds a third).
    /// </summary>
    public long MaxBatchBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>The most rows read, sorted and reassembled together.</summary>
    public int WindowRows { get; set; } = 16_384;

    /// <summary>A window's result arrays stay under this many bytes (fewer rows when rows are wide).</summary>
    public long WindowBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Windows dispatched ahead of the one being written.</summary>
    public int WindowsInFlight { get; set; } = 2;

    /// <summary>
    /// How long to wait for a batch's result before sending it again (a worker that died or hangs). An embedded run has no
    /// worker to lose and waits as long as its batches take (<see cref="Timeout.InfiniteTimeSpan"/>).
    /// </summary>
    public TimeSpan BatchTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How many times a batch is sent after timeouts before the job fails.</summary>
    public int BatchAttempts { get; set; } = 3;

    /// <summary>
    /// Where a cluster coordinator keeps its jobs, so that a restart resumes them; it must not overlap a data root.
    /// Null: <c>$XDG_STATE_HOME/lstmw</c>, else <c>~/.local/state/lstmw</c> (<see cref="EffectiveStateDirectory"/>).
    /// </summary>
    public string? StateDirectory { get; set; }

    /// <summary>The directories submitted jobs may read and write (default: the working directory).</summary>
    public string[] DataRoots { get; set; } = [];

    /// <summary>
    /// How many finished jobs (completed, failed, cancelled) the report of every job lists, the most recently submitted;
    /// every unfinished job is listed too, and any job is reported when asked for by id. Keeps the report bounded.
    /// </summary>
    public int StatusReportFinishedJobs { get; set; } = 100;

    public string EffectiveStateDirectory => string.IsNullOrWhiteSpace(StateDirectory)
        ? Path.Combine(Environment.GetEnvironmentVariable("XDG_STATE_HOME") is { Length: > 0 } stateHome && Path.IsPathRooted(stateHome)
            ? stateHome
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state"), "lstmw")
        : StateDirectory;

    public string[] EffectiveDataRoots => DataRoots.Length > 0 ? DataRoots : [Directory.GetCurrentDirectory()];
}
